package org.clubanonymiser.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Oracle's rules that H2's Oracle mode does not enforce, as checks on a statement's text: what a real Oracle would
 * refuse (or answer differently) although H2 runs it. The Oracle leg applies them to every statement the product
 * issues ({@link OracleRulesDataSource}); each has its unit test. Only data statements are checked (select, insert,
 * update, delete, merge, with): the migrations are Oracle's own SQL already.
 */
public final class OracleSqlRules {

    /** Oracle's limit on the expressions of one IN list (ORA-01795). */
    public static final int MAX_IN_LIST = 1000;

    /** One rule: its name, and when a statement (lower case, literals and quoted names blanked) breaks it. */
    record Rule(String name, Predicate<String> broken) {
    }

    private static final Pattern DATA_STATEMENT = Pattern.compile("^\\s*\\(*\\s*(select|insert|update|delete|merge|with)\\b");

    static final List<Rule> RULES = List.of(
            new Rule("boolean literal: Oracle SQL has no TRUE/FALSE before 23ai (booleans are NUMBER(1) 0/1, bind them)",
                    found("\\b(true|false)\\b")),
            new Rule("SELECT without FROM: Oracle needs FROM DUAL (ORA-00923)",
                    sql -> sql.matches("^\\s*\\(*\\s*select\\b.*") && !sql.matches("(?s).*\\bfrom\\b.*")),
            new Rule("AS before a table alias: Oracle accepts AS for column aliases only (ORA-00933)",
                    found("\\b(from|join)\\s+[a-z_][a-z0-9_$.]*\\s+as\\s+[a-z_]")),
            new Rule("unquoted reserved word NUMBER as a column: Oracle needs \"NUMBER\" (ORA-00936)",
                    found("(?<!\\bas\\s)(?<![\"\\w])number\\b(?!\\s*\\()")),
            new Rule("FOR UPDATE with a row limit, DISTINCT or GROUP BY: Oracle refuses it (ORA-02014)",
                    sql -> sql.matches("(?s).*\\bfor\\s+update\\b.*")
                            && sql.matches("(?s).*\\b(fetch\\s+(first|next)|offset\\s+\\S+\\s+rows?|rownum|distinct|group\\s+by)\\b.*")),
            new Rule("IN list of more than " + MAX_IN_LIST + " expressions: Oracle refuses it (ORA-01795)",
                    OracleSqlRules::hasLongInList),
            new Rule("LIMIT/OFFSET without ROWS: not Oracle SQL (use OFFSET n ROWS FETCH NEXT m ROWS ONLY)",
                    found("\\blimit\\s+(\\d|\\?|:)|\\boffset\\s+(\\d+|\\?|:\\w+)\\s*($|[^\\sr])")),
            new Rule("PostgreSQL-only syntax (::cast, ILIKE, FILTER (WHERE), ON CONFLICT, RETURNING, NOW())",
                    found("::|\\bilike\\b|\\bfilter\\s*\\(\\s*where\\b|\\bon\\s+conflict\\b|\\breturning\\b|\\bnow\\s*\\(")),
            new Rule("a predicate as a value (SELECT EXISTS(...), SELECT a = b): Oracle has no boolean expressions there",
                    found("^\\s*select\\s+(not\\s+)?exists\\s*\\(")));

    private OracleSqlRules() {
    }

    /** The rules {@code sql} breaks, by name; empty for a statement Oracle takes as H2 does. */
    public static List<String> violations(String sql) {
        String text = normalised(sql);
        if (!DATA_STATEMENT.matcher(text).find()) {
            return List.of();
        }
        List<String> broken = new ArrayList<>();
        for (Rule rule : RULES) {
            if (rule.broken().test(text)) {
                broken.add(rule.name());
            }
        }
        return broken;
    }

    private static Predicate<String> found(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return sql -> pattern.matcher(sql).find();
    }

    /**
     * Lower case, comments removed, string literals replaced by {@code ''} and quoted identifiers by {@code "q"}
     * (so their contents never match a rule), whitespace collapsed.
     */
    static String normalised(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = i + 1;
                while (end < sql.length()) {
                    if (sql.charAt(end) == c) {
                        if (end + 1 < sql.length() && sql.charAt(end + 1) == c) {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                String quoted = sql.substring(i, Math.min(end + 1, sql.length()));
                // A quoted NUMBER stays recognisable as the quoted column it is.
                out.append(c == '\'' ? "''" : quoted.toUpperCase(Locale.ROOT).equals("\"NUMBER\"") ? "\"number\"" : "\"q\"");
                i = end + 1;
            }
            else if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
            }
            else {
                out.append(Character.isWhitespace(c) ? ' ' : Character.toLowerCase(c));
                i++;
            }
        }
        return out.toString().replaceAll(" +", " ").trim();
    }

    /** Whether an {@code IN (...)} list (not a subquery) holds more than {@link #MAX_IN_LIST} expressions. */
    static boolean hasLongInList(String sql) {
        var in = Pattern.compile("\\bin\\s*\\(").matcher(sql);
        while (in.find()) {
            int depth = 1;
            int items = 1;
            int i = in.end();
            if (sql.startsWith("select", skipSpaces(sql, i))) {
                continue;
            }
            for (; i < sql.length() && depth > 0; i++) {
                char c = sql.charAt(i);
                if (c == '(') {
                    depth++;
                }
                else if (c == ')') {
                    depth--;
                }
                else if (c == ',' && depth == 1) {
                    items++;
                }
            }
            if (items > MAX_IN_LIST) {
                return true;
            }
        }
        return false;
    }

    private static int skipSpaces(String sql, int from) {
        int i = from;
        while (i < sql.length() && sql.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
