package org.clubanonymiser.privacy;

import java.util.List;
import java.util.Locale;

import org.clubanonymiser.privacy.PrivacyReport.CheckResult;
import org.clubanonymiser.privacy.PrivacyReport.Request;

/**
 * A {@link PrivacyReport} as one self-contained, printable HTML page (inline style, no script, no external resource),
 * for the web UI and for {@code privacyReportJob}'s file. Every value is HTML-escaped.
 */
public final class PrivacyReportHtml {

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#111}
            h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #999}
            table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left}
            td.n{text-align:right}.ok{color:#060}.bad{color:#a00;font-weight:bold}p.note{color:#444;font-size:.92em}
            @media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}""";

    private PrivacyReportHtml() {
    }

    public static String render(PrivacyReport report) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .append("<title>Privacy report: ").append(escape(report.scope().describe())).append("</title><style>")
            .append(STYLE).append("</style></head><body>\n");
        html.append("<h1>Privacy report: ").append(escape(report.scope().describe())).append("</h1>\n");
        table(html, "summary", List.of("", ""), List.of(
                List.of("Covers", report.scope().describe()),
                List.of("Generated at", String.valueOf(report.generatedAt())),
                List.of("Anonymisation plan version", report.planVersion() + planVersions(report)),
                List.of("Creation date kept to", precision(report)),
                List.of("Verification", report.violations() == 0 ? "passed: no personal value found"
                        : "FAILED: " + report.violations() + " violation(s)")));

        html.append("<h2>Outcomes</h2>\n");
        var outcomes = report.outcomes();
        List<List<String>> outcomeRows = new java.util.ArrayList<>();
        outcomeRows.add(List.of("Anonymised", String.valueOf(outcomes.anonymised())));
        outcomeRows.add(List.of("… by an import", String.valueOf(outcomes.byImport())));
        outcomeRows.add(List.of("… one member at a time", String.valueOf(outcomes.single())));
        outcomeRows.add(List.of("Rejected (kept, see the import's error file)", String.valueOf(outcomes.rejected())));
        outcomes.rejectedByCode().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
            .forEach(e -> outcomeRows.add(List.of("… " + e.getKey(), String.valueOf(e.getValue()))));
        outcomeRows.add(List.of("Single-member requests refused", String.valueOf(outcomes.refused())));
        outcomes.refusedByCode().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
            .forEach(e -> outcomeRows.add(List.of("… " + e.getKey(), String.valueOf(e.getValue()))));
        outcomeRows.add(List.of("Kept by the reviewer (left out of the reviewed file)",
                String.valueOf(outcomes.keptByReviewer())));
        table(html, "outcomes", List.of("Outcome", "Members"), outcomeRows);

        html.append("<h2>Requests</h2>\n");
        table(html, "requests", List.of("Source", "Id", "Club", "Requested by", "At", "Status", "Anonymised",
                "Rejected", "Kept by reviewer"), report.requests().stream().map(PrivacyReportHtml::request).toList());
        html.append("<p class=\"note\">Source IMPORT: the id is the import's; SINGLE: the member's id. "
                + "Requesters are staff usernames.</p>\n");

        html.append("<h2>Verification of the anonymised rows</h2>\n");
        table(html, "checks", List.of("Check", "Every anonymised member has", "Violations", "Result"),
                report.checks().stream().map(PrivacyReportHtml::check).toList());

        html.append("<h2>Re-identification indicator</h2>\n");
        List<ReidentificationIndicator> indicators = new java.util.ArrayList<>();
        indicators.add(report.indicator());
        indicators.addAll(report.generalised());
        List<String> headers = new java.util.ArrayList<>(List.of("Creation date", "Members", "Groups", "k (smallest)",
                "Groups &lt; " + report.indicator().smallGroupSize(),
                "Members in groups &lt; " + report.indicator().smallGroupSize()));
        for (String band : ReidentificationIndicator.bands()) {
            headers.add("Groups of " + band);
        }
        table(html, "indicator", headers, indicators.stream().map(i -> indicator(i, i == report.indicator())).toList());
        html.append("""
                <p class="note">Anonymised members are grouped by the facts they keep that an outsider may know: club,
                creation date and status. k is the size of the smallest group holding one of this report's members
                (groups count every anonymised member of the club): whoever knows a person's club and joining date
                can narrow their anonymised record down to k rows at best; k = 1 singles a record out. The first row
                is the data as stored; the others show the effect of
                <code>anonymiser.privacy.creation-date-precision</code>. Visits, bookings, purchases, instalments
                and invoices are kept and linked to the member id: they are not part of this indicator.</p>
                """);
        html.append("</body></html>\n");
        return html.toString();
    }

    /** "(applied to: 2026.12-1: 12 members, unrecorded: 2)": which plan erased the report's members. */
    private static String planVersions(PrivacyReport report) {
        if (report.planVersions().isEmpty()) {
            return "";
        }
        return " (report's members anonymised under: " + String.join(", ", report.planVersions().entrySet().stream()
            .sorted(java.util.Map.Entry.comparingByKey()).map(e -> e.getKey() + ": " + e.getValue()).toList()) + ")";
    }

    private static String precision(PrivacyReport report) {
        return switch (report.creationDatePrecision()) {
            case EXACT -> "as recorded (not generalised)";
            case DAY -> "the day";
            case MONTH -> "the month";
            case YEAR -> "the year";
        };
    }

    private static List<String> request(Request r) {
        return List.of(r.source(), String.valueOf(r.id()), nullToEmpty(r.clubCode()), r.requestedBy(),
                String.valueOf(r.at()), r.status() + (r.dryRun() ? " (dry run)" : ""), String.valueOf(r.anonymised()),
                String.valueOf(r.rejected()), String.valueOf(r.keptByReviewer()));
    }

    private static List<String> check(CheckResult c) {
        return List.of(c.code(), c.description(), String.valueOf(c.violations()), c.violations() == 0 ? "OK" : "VIOLATION");
    }

    private static List<String> indicator(ReidentificationIndicator i, boolean stored) {
        List<String> row = new java.util.ArrayList<>(List.of(
                stored ? "as stored" : "kept to the " + i.precision().name().toLowerCase(Locale.ROOT),
                String.valueOf(i.members()), String.valueOf(i.groups()), String.valueOf(i.k()),
                String.valueOf(i.smallGroups()), String.valueOf(i.membersInSmallGroups())));
        for (String band : ReidentificationIndicator.bands()) {
            row.add(String.valueOf(i.distribution().get(band)));
        }
        return row;
    }

    /** Headers are trusted markup (constants); cells are escaped. */
    private static void table(StringBuilder html, String id, List<String> headers, List<List<String>> rows) {
        html.append("<table id=\"").append(id).append("\">");
        if (headers.stream().anyMatch(h -> !h.isEmpty())) {
            html.append("<thead><tr>");
            headers.forEach(h -> html.append("<th>").append(h).append("</th>"));
            html.append("</tr></thead>");
        }
        html.append("<tbody>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            for (String cell : row) {
                String css = cell.matches("-?\\d+") ? " class=\"n\"" : "VIOLATION".equals(cell) ? " class=\"bad\""
                        : "OK".equals(cell) ? " class=\"ok\"" : "";
                html.append("<td").append(css).append('>').append(escape(cell)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
