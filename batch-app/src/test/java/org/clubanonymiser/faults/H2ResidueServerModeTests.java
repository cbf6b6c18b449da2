package org.clubanonymiser.faults;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.anonymisation.SingleAnonymisation;
import org.clubanonymiser.anonymisation.SingleMemberAnonymiser;
import org.clubanonymiser.importing.ImportJobParameters;
import org.clubanonymiser.web.jobs.WebJobLauncher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.job.Job;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H2 in server mode: the application runs for weeks, so the compaction at close is not enough. A bulk import and a
 * single-member anonymisation run inside a running server; right after each, the raw {@code .mv.db} file still holds
 * the members' canary values (negative control: they are in the old pages, and a marker is pending), and within
 * {@code anonymiser.residue.delay} + {@code check} (5 s + 200 ms here) the server compacts the file on its own: the
 * scan of the raw file, taken while the server keeps running, finds no canary, and the server goes on answering
 * through its pool.
 */
@ExtendWith(OutputCaptureExtension.class)
class H2ResidueServerModeTests {

    static final List<String> SINGLE_CANARIES = List.of("qzsingle");

    H2ResidueFixture fixture;

    @BeforeEach
    void freshDatabase() throws Exception {
        fixture = new H2ResidueFixture("server-");
    }

    @Test
    void aRunningServerCompactsItsFileWithinTheDelayAfterAnImportAndASingleAnonymisation(CapturedOutput output)
            throws Exception {
        Path reviewed = fixture.exportedAndReviewed(H2ResidueServerModeTests::seedSingleCanaryMember);

        try (ConfigurableApplicationContext server = SpringApplication.run(AnonymiserApplication.class,
                fixture.arguments("--anonymiser.mode=server", "--server.port=0", "--server.address=127.0.0.1",
                        "--management.server.port=0", "--anonymiser.metrics.eligible-refresh=0",
                        "--anonymiser.residue.delay=5s", "--anonymiser.residue.check=200ms"))) {
            JdbcTemplate jdbc = server.getBean(JdbcTemplate.class);

            // A bulk import, launched in the server as the web UI launches it.
            WebJobLauncher.Launch launch = server.getBean(WebJobLauncher.class)
                .start(server.getBean("importJob", Job.class), ImportJobParameters.of(reviewed, "admin.multi"));
            launch.done().get(3, TimeUnit.MINUTES);
            // Within the delay (5 s without a new marker; the import's completion wrote the last one).
            assertThat(scanFile(PiiCanaryTests.CANARIES)).as("negative control: right after the import")
                .anyMatch(finding -> finding.contains("anonymiser.mv.db"));
            assertThat(pendingMarkers(jdbc)).isPositive();
            assertThat(jdbc.queryForObject("select count(*) from member where id between 990001 and 990003"
                    + " and status = 'ANONYMISED'", Long.class)).isEqualTo(3);

            awaitNoMarker(jdbc);
            assertThat(scanFile(PiiCanaryTests.CANARIES)).isEmpty();
            fixture.assertScanReadsLiveValues();
            // The markers go in the compaction's last transaction, the log line just after it: wait for it too.
            awaitLog(output, "H2 database file compacted (schedule)");

            // A single-member anonymisation, as the API runs it.
            SingleAnonymisation single = server.getBean(SingleMemberAnonymiser.class)
                .anonymise(990004L, "admin.multi", null, SingleMemberAnonymiser.Channel.API, null);
            assertThat(single.outcome()).isEqualTo(SingleAnonymisation.Outcome.ANONYMISED);
            assertThat(scanFile(SINGLE_CANARIES)).as("negative control: right after the single anonymisation")
                .isNotEmpty();
            assertThat(pendingMarkers(jdbc)).isOne();

            awaitNoMarker(jdbc);
            assertThat(scanFile(SINGLE_CANARIES)).isEmpty();
            fixture.assertScanReadsLiveValues();
            // Still serving, through the resumed pool: the compacted file reopened.
            assertThat(jdbc.queryForObject("select count(*) from member where status = 'ANONYMISED'", Long.class))
                .isGreaterThanOrEqualTo(4);
            assertThat(server.isRunning()).isTrue();
        }
    }

    /** A member anonymised on request only: created in 2025, so the 36-month export leaves it out. */
    static void seedSingleCanaryMember(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("""
                    insert into member (id, member_number, club_id, status, first_name, last_name, email, birth_date,
                        notes, created_at)
                    values (990004, 'CAN-4', 1, 'PROSPECT', 'Qzsinglefirst', 'Qzsinglelast',
                        'qzsingle.mail@example.org', date '1902-03-04', 'Qzsingle note', timestamp '2025-06-01 10:00:00')""");
            statement.executeUpdate("insert into member_address (member_id, line1, line2, postcode, city, country)"
                    + " values (990004, '4 Qzsingle Street', null, 'QZ4', 'Qzsinglecity', 'FR')");
        }
    }

    /** The raw database file, read while the server holds it open. */
    List<String> scanFile(List<String> canaries) throws Exception {
        return fixture.scanFile(canaries);
    }

    static long pendingMarkers(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select count(*) from storage_residue", Long.class);
    }

    /** Bounded: the delay (5 s) plus a check (200 ms) plus the compaction, with room for a loaded machine. */
    static void awaitNoMarker(JdbcTemplate jdbc) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (pendingMarkers(jdbc) > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        assertThat(pendingMarkers(jdbc)).as("markers left 60 s after the anonymisation").isZero();
    }

    static void awaitLog(CapturedOutput output, String line) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!output.getAll().contains(line) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        assertThat(output.getAll()).contains(line);
    }
}
