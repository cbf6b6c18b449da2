package org.clubanonymiser.launch;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.clubanonymiser.AnonymiserApplication;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * exportJob launched the Spring Boot / Data Flow way ({@code --spring.batch.job.name=exportJob key=value ...}): a
 * refused launch fails the application before any job instance exists; the corrected launch then completes with exit
 * code 0 and leaves the zip in {@code <storage-dir>/exports/}.
 */
class ExportJobCommandLineTests {

    @Test
    void aRefusedLaunchLeavesNoInstanceAndTheCorrectedOneCompletes() throws Exception {
        // A file database, as the embedded default: each run of the application opens and closes it.
        Path storage = Files.createTempDirectory(Files.createDirectories(Path.of("target", "cli-storage")), "s-");
        String url = "jdbc:h2:file:" + storage.toAbsolutePath().resolve("anonymiser");
        String[] common = { "--spring.datasource.url=" + url, "--spring.datasource.username=sa",
                "--spring.datasource.password=", "--anonymiser.storage-dir=" + storage,
                "--spring.batch.job.name=exportJob", "clubId=1", "exportName=Spring clean-up",
                "requestedBy=admin", "asOf=2026-03-31" };

        assertThatThrownBy(() -> SpringApplication.run(AnonymiserApplication.class, with(common,
                "inactivityMonths=13")))
            .hasRootCauseInstanceOf(InvalidJobParametersException.class)
            .hasRootCauseMessage(
                    "inactivityMonths must be one of [12, 18, 24, 30, 36, 42, 48, 54, 60, 66, 72, 78, 84], got 13");

        try (SingleConnectionDataSource dataSource = new SingleConnectionDataSource(url, "sa", "", true)) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            assertThat(jdbc.queryForObject("select count(*) from batch_job_instance", Long.class)).isZero();
            jdbc.update("insert into club (id, code, name) values (1, 'PARIS-11', 'Paris 11')");
            jdbc.update("""
                    insert into app_user (id, username, display_name, password_hash, role)
                    values (1, 'admin', 'Admin', '{noop}demo', 'ADMIN')""");
            jdbc.update("insert into app_user_club (user_id, club_id) values (1, 1)");
            jdbc.update("""
                    insert into member (id, member_number, club_id, status, first_name, last_name, created_at,
                        sales_blocked, bookings_blocked)
                    values (1, 'M1', 1, 'PROSPECT', 'Ann', 'Old', timestamp '2019-01-01 10:00:00', false, false),
                           (2, 'M2', 1, 'CLIENT', 'Bob', 'Active', timestamp '2019-01-01 10:00:00', false, false)""");

            try (ConfigurableApplicationContext context = SpringApplication.run(AnonymiserApplication.class,
                    with(common, "inactivityMonths=12"))) {
                assertThat(SpringApplication.exit(context)).isZero();
            }

            assertThat(jdbc.queryForObject("select count(*) from batch_job_instance", Long.class)).isOne();
            assertThat(jdbc.queryForMap("select status, row_count, file_name from anonymisation_export"))
                .containsEntry("STATUS", "COMPLETED")
                .containsEntry("ROW_COUNT", 1L)
                .containsEntry("FILE_NAME", "export-1-paris-11-2026-03-31.zip");
            assertThat(storage.resolve("exports").resolve("export-1-paris-11-2026-03-31.zip")).isRegularFile();
        }
    }

    private static String[] with(String[] common, String extra) {
        String[] args = new String[common.length + 1];
        System.arraycopy(common, 0, args, 0, common.length);
        args[common.length] = extra;
        return args;
    }
}
