package org.clubanonymiser.importing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.support.storage.StorageLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented commands (docs/jobs.md), run through the real application in task mode (Spring Cloud Task's job
 * runner): an import is launched with {@code file=... requestedBy=...} only (the checksum is added by the launcher), a
 * failed one is restarted by the very same command, and a failed job or a refused file fails the launch with exit code
 * 1 (the exit codes of docs/operations.md).
 */
class ImportTaskLaunchTests {

    @TempDir
    Path storage;

    @TempDir
    Path work;

    List<String> common() {
        // An H2 file database, the embedded default: it outlives each run like a real one.
        return List.of("--spring.datasource.url=jdbc:h2:file:" + work.resolve("db-" + System.nanoTime()),
                "--anonymiser.storage-dir=" + storage, "--logging.level.root=WARN");
    }

    ConfigurableApplicationContext run(List<String> common, String... args) {
        return SpringApplication.run(AnonymiserApplication.class, withDatabase(common, args));
    }

    /** Restarted by the same command (file=… requestedBy=…), or by the failed import's id alone (importId=…). */
    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aFailedImportRestartsByTheSameCommandOrByItsId(boolean byImportId) throws Exception {
        List<String> database = common();
        Path file;
        // A first start, job runner off, to migrate the database and record an export.
        try (ConfigurableApplicationContext context = run(database, "--spring.batch.job.name=importJob",
                "--spring.batch.job.enabled=false")) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            ExportFixtures fixtures = new ExportFixtures(jdbc, context.getBean(StorageLayout.class), work);
            fixtures.standardClubs();
            List<Long> members = LongStream.rangeClosed(101, 104).boxed().toList();
            members.forEach(id -> fixtures.eligibleMember(id, 1));
            file = fixtures.resaveWithPoi(fixtures.export(1, members).workbook());
            jdbc.update("""
                    insert into anonymisation_ledger (member_id, club_id, import_id, anonymised_at, requested_by)
                    values (103, 1, 0, current_timestamp, 'stray')""");
        }
        String[] command = { "--spring.batch.job.name=importJob", "file=" + file, "requestedBy=admin" };
        String[] firstLaunch = command;

        assertThat(AnonymiserApplication.run(withDatabase(database, firstLaunch))).as("a failed job exits 1")
            .isEqualTo(1);

        try (ConfigurableApplicationContext context = run(database, "--spring.batch.job.name=importJob",
                "--spring.batch.job.enabled=false")) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("select status from anonymisation_import", String.class))
                .isEqualTo("FAILED");
            jdbc.update("delete from anonymisation_ledger where import_id = 0");
            String importId = jdbc.queryForObject("select id from anonymisation_import", String.class);
            if (byImportId) {
                command = new String[] { "--spring.batch.job.name=importJob", "importId=" + importId };
            }
        }

        assertThat(SpringApplication.exit(run(database, command))).isZero();

        try (ConfigurableApplicationContext context = run(database, "--spring.batch.job.name=importJob",
                "--spring.batch.job.enabled=false")) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForList("select status from anonymisation_import", String.class))
                .containsExactly("COMPLETED");
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_ledger", Long.class)).isEqualTo(4);
            assertThat(jdbc.queryForObject("select count(*) from batch_job_instance where job_name = 'importJob'",
                    Long.class)).isOne();
            assertThat(jdbc.queryForObject("select count(*) from batch_job_execution", Long.class)).isEqualTo(2);
            assertThat(jdbc.queryForObject("""
                    select count(*) from batch_job_execution_params
                    where parameter_name = 'fileChecksum' and parameter_value = ?""", Long.class,
                    ImportJobParameters.sha256(file))).isEqualTo(2);
        }
        assertThat(Files.list(storage.resolve("exports"))).isEmpty();
    }

    @Test
    void aRefusedFileFailsTheLaunch() throws Exception {
        List<String> database = common();
        Path file;
        try (ConfigurableApplicationContext context = run(database, "--spring.batch.job.name=importJob",
                "--spring.batch.job.enabled=false")) {
            ExportFixtures fixtures = new ExportFixtures(context.getBean(JdbcTemplate.class),
                    context.getBean(StorageLayout.class), work);
            fixtures.standardClubs();
            fixtures.eligibleMember(101, 1);
            file = fixtures.export(1, List.of(101L)).workbook();
        }

        int exitCode = AnonymiserApplication.run(withDatabase(database, "--spring.batch.job.name=importJob",
                "file=" + file, "requestedBy=admin"));

        assertThat(exitCode).as("a refused file is a failed job: exit 1").isEqualTo(1);
        try (ConfigurableApplicationContext context = run(database, "--spring.batch.job.name=importJob",
                "--spring.batch.job.enabled=false")) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForList("select status || ':' || failure_code from anonymisation_import",
                    String.class)).containsExactly("FAILED:NOT_RESAVED");
            assertThat(jdbc.queryForList("select status || ' ' || exit_code from batch_job_execution", String.class))
                .containsExactly("FAILED REFUSED:NOT_RESAVED");
            // The task that ran the job (the other task executions are this test's own starts, job runner off).
            assertThat(jdbc.queryForList("""
                    select t.exit_code from task_execution t
                    join task_task_batch b on b.task_execution_id = t.task_execution_id""", Integer.class))
                .containsExactly(1);
            assertThat(jdbc.queryForObject("select status from member where id = 101", String.class))
                .isEqualTo("FORMER_CLIENT");
        }
    }

    static String[] withDatabase(List<String> common, String... args) {
        List<String> all = new ArrayList<>(common);
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }
}
