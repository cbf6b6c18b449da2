package org.clubanonymiser.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.clubanonymiser.AnonymiserApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H2, killed between completion and close: the import runs in a child JVM that owns the database file, completes,
 * and is killed with SIGKILL ({@link Process#destroyForcibly()}) before its context closes ({@link ReadyPausePoint}),
 * so its close-time compaction never runs. Negative control: the raw file still holds the anonymised members' canary
 * values. The next process runs a job that anonymises nothing ({@code exportPurgeJob}); at its start it finds the
 * import's markers and compacts the file: no canary left in it, no marker pending.
 */
@ExtendWith(OutputCaptureExtension.class)
class H2ResidueKillTests {

    H2ResidueFixture fixture;

    @BeforeEach
    void freshDatabase() throws Exception {
        fixture = new H2ResidueFixture("kill-");
    }

    @Test
    void theNextStartCompactsTheFileOfAnImportKilledAfterItCompleted(CapturedOutput output) throws Exception {
        Path reviewed = fixture.exportedAndReviewed(H2ResidueFixture.SqlSeed.NONE);

        Path ready = fixture.workDir.resolve("import-ready");
        Process child = launch("--spring.batch.job.name=importJob", "file=" + reviewed, "requestedBy=admin.multi",
                "--anonymiser.test.pause-when-ready=" + ready);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(ready) && child.isAlive() && System.nanoTime() < deadline) {
            child.waitFor(50, TimeUnit.MILLISECONDS);
        }
        assertThat(Files.exists(ready)).as("the import completed and paused before close (exit %s); log in %s",
                child.isAlive() ? "none" : child.exitValue(), fixture.workDir).isTrue();
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // Negative control: killed before its close-time compaction, the file keeps the old values.
        assertThat(scanFile()).anyMatch(finding -> finding.contains("anonymiser.mv.db"));

        assertThat(AnonymiserApplication.run(fixture.arguments("--spring.batch.job.name=exportPurgeJob"))).isZero();

        assertThat(output.getAll()).containsPattern(
                "H2 database file compacted \\(start\\): [1-9][0-9]* anonymisation marker\\(s\\) pending");
        assertThat(scanFile()).isEmpty();
        fixture.assertScanReadsLiveValues();
        try (Connection connection = DriverManager.getConnection(fixture.databaseUrl, "sa", "");
                Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from storage_residue")).isZero();
            // The import's commits survived the kill: the compaction removed residue, not data.
            assertThat(count(statement, "select count(*) from member where id between 990001 and 990003"
                    + " and status = 'ANONYMISED'")).isEqualTo(3);
            assertThat(count(statement, "select count(*) from anonymisation_import where status = 'COMPLETED'"
                    + " and id = (select max(id) from anonymisation_import)")).isOne();
        }
    }

    List<String> scanFile() throws Exception {
        return fixture.scanFile(PiiCanaryTests.CANARIES);
    }

    static long count(Statement statement, String sql) throws Exception {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    Process launch(String... jobArguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), AnonymiserApplication.class.getName()));
        command.addAll(List.of(fixture.arguments(jobArguments)));
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(fixture.workDir.resolve("child.log").toFile())
            .directory(fixture.workDir.toFile())
            .start();
    }
}
