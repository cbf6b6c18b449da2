package org.clubanonymiser.support.database;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


import static org.assertj.core.api.Assertions.assertThat;

class H2FileCompactionTests {

    static final ResidueProperties PROPERTIES = new ResidueProperties(Duration.ofMinutes(1), Duration.ofMinutes(10),
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));

    static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 7, 12, 0);

    @Test
    void compactsOnlyLocalFileDatabases() {
        assertThat(H2FileCompaction.isLocalFile("jdbc:h2:file:./data/anonymiser")).isTrue();
        assertThat(H2FileCompaction.isLocalFile("jdbc:h2:./data/anonymiser")).isTrue();
        assertThat(H2FileCompaction.isLocalFile("jdbc:h2:mem:anonymiser_1")).isFalse();
        assertThat(H2FileCompaction.isLocalFile("jdbc:h2:tcp://localhost:9092/./data/anonymiser")).isFalse();
        assertThat(H2FileCompaction.isLocalFile("jdbc:postgresql://localhost/anonymiser")).isFalse();
    }

    @Test
    void findsTheFileOfTheDatabaseUrl() {
        assertThat(H2FileCompaction.databaseFile("jdbc:h2:file:/srv/data/anonymiser;AUTO_COMPACT_FILL_RATE=0"))
            .isEqualTo("/srv/data/anonymiser.mv.db");
        assertThat(H2FileCompaction.databaseFile("jdbc:h2:./data/anonymiser")).isEqualTo("./data/anonymiser.mv.db");
        assertThat(H2FileCompaction.databaseFile("jdbc:h2:~/anonymiser;MODE=Oracle"))
            .isEqualTo(System.getProperty("user.home") + "/anonymiser.mv.db");
    }

    /**
     * The rewrite keeps every live value readable in the raw file (a byte scan can check it: no compression) and no
     * overwritten one; H2's own SHUTDOWN COMPACT would leave most live values invisible to the same scan.
     */
    @Test
    void theRewrittenFileHoldsTheLiveValuesReadableAndNoOldOne(@TempDir Path dir) throws Exception {
        // No compaction at close either (H2 compacts up to 200 ms by default): the old versions stay for the control.
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";AUTO_COMPACT_FILL_RATE=0;MAX_COMPACT_TIME=0";
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute("create table person (id int primary key, name varchar(100))");
            statement.execute("insert into person select x, 'Qzlive' || x || '-the rest of a name and address'"
                    + " from system_range(1, 2000)");
            // Written to the file before the update, as a committed import's rows are: the old versions then stay.
            statement.execute("CHECKPOINT");
            statement.execute("update person set name = 'Qzgone' || id where id <= 1000");
            statement.execute("CHECKPOINT");
        }
        Path file = dir.resolve("db.mv.db");
        assertThat(occurrences(file, "Qzlive")).as("old versions in free pages, before the rewrite")
            .isGreaterThan(1000);

        H2FileCompaction.removeDeadPages(file.toString());

        assertThat(occurrences(file, "Qzlive1-")).isZero();
        assertThat(occurrences(file, "Qzlive")).isEqualTo(1000);
        assertThat(occurrences(file, "Qzgone")).isEqualTo(1000);
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement();
                var rs = statement.executeQuery("select count(*) from person where name like 'Qzlive%'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1000);
        }
    }

    static int occurrences(Path file, String value) throws Exception {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        int count = 0;
        for (int at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
            count++;
        }
        return count;
    }

    @Test
    void dueOnceTheAnonymisationsWereQuietForTheDelay() {
        assertThat(due(NOW.minusSeconds(90), NOW.minusSeconds(61))).isTrue();
        assertThat(due(NOW.minusSeconds(90), NOW.minusSeconds(60))).isTrue();
        assertThat(due(NOW.minusSeconds(90), NOW.minusSeconds(59))).isFalse();
    }

    @Test
    void dueAtTheMaximumDelayEvenIfAnonymisationsKeepComing() {
        assertThat(due(NOW.minusMinutes(9), NOW.minusSeconds(1))).isFalse();
        assertThat(due(NOW.minusMinutes(10), NOW.minusSeconds(1))).isTrue();
    }

    static boolean due(LocalDateTime oldest, LocalDateTime newest) {
        return H2FileCompaction.isDue(new ResidueMarkers.Pending(3, 42, oldest, newest), PROPERTIES, NOW);
    }
}
