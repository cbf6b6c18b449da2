package org.clubanonymiser.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import org.clubanonymiser.AnonymiserApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The H2 residue tests' setting: a fresh H2 file database (with the product's default URL options) and storage dir
 * under {@code target/residue-tests}, demo data plus the canary members, their export and the admin's review.
 */
final class H2ResidueFixture {

    final Path workDir;

    final Path storage;

    final String databaseUrl;

    H2ResidueFixture(String prefix) throws Exception {
        Path target = Files.createDirectories(Path.of("target", "residue-tests"));
        workDir = Files.createTempDirectory(target, prefix).toAbsolutePath();
        storage = workDir.resolve("storage");
        databaseUrl = "jdbc:h2:file:" + workDir.resolve("db/anonymiser") + ";AUTO_COMPACT_FILL_RATE=0";
    }

    /**
     * Demo data and the canary members (plus what {@code moreMembers} seeds), exported and reviewed by the real
     * application in task mode.
     *
     * @return the reviewed workbook, ready for import
     */
    Path exportedAndReviewed(SqlSeed moreMembers) throws Exception {
        assertThat(AnonymiserApplication.run(arguments("--spring.batch.job.name=demoDataJob", "members=200",
                "clubs=1", "seed=5", "asOf=" + PiiCanaryTests.AS_OF))).isZero();
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "")) {
            PiiCanaryTests.seedCanaryMembers(connection);
            seedKeptMember(connection);
            moreMembers.seed(connection);
        }
        assertThat(AnonymiserApplication.run(arguments("--spring.batch.job.name=exportJob", "clubId=1",
                "inactivityMonths=36", "exportName=residue", "requestedBy=admin.multi",
                "asOf=" + PiiCanaryTests.AS_OF))).isZero();
        return PiiCanaryTests.review(storage);
    }

    /** The values of a member no job anonymises here: the scan's positive control. */
    static final List<String> KEPT = List.of("qzkeptfirst", "qzkeptlast", "qzkept.mail");

    /** Created in 2025: the 36-month export leaves it out, so its values stay live in the file. */
    static void seedKeptMember(Connection connection) throws Exception {
        try (var statement = connection.createStatement()) {
            statement.executeUpdate("""
                    insert into member (id, member_number, club_id, status, first_name, last_name, email, birth_date,
                        notes, created_at)
                    values (990009, 'CAN-9', 1, 'PROSPECT', 'Qzkeptfirst', 'Qzkeptlast', 'qzkept.mail@example.org',
                        date '1909-09-09', null, timestamp '2025-06-01 10:00:00')""");
        }
    }

    /**
     * Positive control of a scan that found nothing: every value of the kept member is still readable in the raw file,
     * so the scan sees live rows (a compressed file would hide them, and an empty scan would prove nothing).
     */
    void assertScanReadsLiveValues() throws Exception {
        List<String> findings = scanFile(KEPT);
        for (String kept : KEPT) {
            assertThat(findings).as("positive control: the kept member's %s readable in the raw file", kept)
                .anyMatch(finding -> finding.endsWith(kept));
        }
    }

    /** The raw database files, as they are on disk. */
    List<String> scanFile(List<String> canaries) throws Exception {
        return new PiiScan(canaries, workDir).files(workDir.resolve("db"));
    }

    String[] arguments(String... given) {
        List<String> arguments = new ArrayList<>(List.of(given));
        arguments.add("--spring.datasource.url=" + databaseUrl);
        arguments.add("--anonymiser.storage-dir=" + storage);
        arguments.add("--anonymiser.export.chunk-size=50");
        arguments.add("--anonymiser.import.chunk-size=50");
        return arguments.toArray(String[]::new);
    }

    /** More rows to seed with the canary members. */
    interface SqlSeed {

        SqlSeed NONE = connection -> {
        };

        void seed(Connection connection) throws Exception;
    }
}
