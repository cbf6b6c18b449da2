package org.clubanonymiser.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What H2's Oracle mode cannot check in {@code sql/oracle} (it runs them on the Oracle leg, but accepts more than
 * Oracle does): text lengths in characters (Oracle counts bytes by default: a 32-character member number with
 * accents would not fit a {@code varchar2(32)}, while it fits H2's and PostgreSQL's {@code varchar(32)}); names of at
 * most 30 characters (Oracle before 12.2); and each H2 and PostgreSQL migration having its Oracle twin.
 */
class OracleMigrationsTests {

    static final Path SQL = Path.of("..", "sql");

    static List<Path> oracleMigrations() throws IOException {
        try (Stream<Path> files = Stream.concat(Files.list(SQL.resolve("oracle")), Files.list(SQL.resolve("oracle-plsql")))) {
            return files.filter(file -> file.toString().endsWith(".sql")).sorted().toList();
        }
    }

    @Test
    void everyTextColumnCountsCharactersNotBytes() throws IOException {
        Pattern byteLength = Pattern.compile("(?i)\\b(?:varchar2?|char|nvarchar2)\\s*\\(\\s*\\d+\\s*(?:byte)?\\s*\\)");
        assertThat(found(byteLength, 0, text -> true)).isEmpty();
    }

    @Test
    void everyNameFitsOracles30Characters() throws IOException {
        Pattern name = Pattern.compile("(?i)\\b(?:table|constraint|index|trigger|sequence|column)\\s+([a-z][a-z0-9_$#]*)");
        assertThat(found(name, 1, text -> text.length() > 30)).isEmpty();
    }

    /** Every match's {@code group} in the Oracle migrations that {@code breaks} the rule, with its file. */
    private static List<String> found(Pattern pattern, int group, Predicate<String> breaks) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : oracleMigrations()) {
            Matcher match = pattern.matcher(Files.readString(file));
            while (match.find()) {
                if (breaks.test(match.group(group))) {
                    found.add(file.getFileName() + ": " + match.group(group));
                }
            }
        }
        return found;
    }

    @Test
    void everyVersionOfTheOtherDatabasesHasItsOracleTwin() throws IOException {
        Set<String> oracle = versions(oracleMigrations());
        List<Path> others = new ArrayList<>();
        for (String folder : List.of("common", "h2", "postgresql")) {
            try (Stream<Path> files = Files.list(SQL.resolve(folder))) {
                files.filter(file -> file.toString().endsWith(".sql")).forEach(others::add);
            }
        }
        assertThat(oracle).containsAll(versions(others));
    }

    private static Set<String> versions(List<Path> files) {
        return Set.copyOf(files.stream()
            .map(file -> file.getFileName().toString().toLowerCase(Locale.ROOT).split("__")[0])
            .toList());
    }
}
