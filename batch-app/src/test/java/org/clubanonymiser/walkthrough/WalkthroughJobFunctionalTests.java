package org.clubanonymiser.walkthrough;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.clubanonymiser.AnonymiserApplication;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command, as a user runs it (smaller): {@code demoWalkthroughJob} on a fresh H2 file database
 * seeds, exports, re-saves and imports, and exits 0; a second identical launch changes nothing and exits non-zero.
 */
class WalkthroughJobFunctionalTests {

    @Test
    void seedsExportsReviewsAndImportsThenRefusesToRunTwice() throws IOException {
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "walkthrough")), "run-")
            .toAbsolutePath();
        String url = "jdbc:h2:file:" + work.resolve("db/anonymiser");
        String[] arguments = { "--spring.batch.job.name=demoWalkthroughJob", "members=400", "clubs=2", "seed=3",
                "asOf=2026-11-29", "--spring.datasource.url=" + url, "--anonymiser.storage-dir=" + work };

        assertThat(AnonymiserApplication.run(arguments)).isZero();

        try (SingleConnectionDataSource dataSource = new SingleConnectionDataSource(url, "sa", "", true)) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            assertThat(jdbc.queryForObject("select count(*) from member", Long.class)).isEqualTo(400);
            assertThat(jdbc.queryForList("""
                    select j.job_name || ':' || e.status from batch_job_execution e
                    join batch_job_instance j on j.job_instance_id = e.job_instance_id
                    order by e.job_execution_id""", String.class))
                .containsExactly("demoWalkthroughJob:COMPLETED", "demoDataJob:COMPLETED", "exportJob:COMPLETED",
                        "importJob:COMPLETED");
            long exported = jdbc.queryForObject("select row_count from anonymisation_export", Long.class);
            assertThat(exported).isPositive();
            assertThat(jdbc.queryForMap("""
                    select status, rows_read, members_anonymised from anonymisation_import
                    where export_id is not null"""))
                .containsEntry("STATUS", "COMPLETED")
                .containsEntry("ROWS_READ", exported)
                .containsEntry("MEMBERS_ANONYMISED", exported);
            List<Path> exports = Files.list(work.resolve("exports")).toList();
            assertThat(exports).as("the export's file is deleted once imported").isEmpty();
            assertThat(Files.list(work.resolve("uploads")).toList()).as("the reviewed upload is deleted once imported")
                .isEmpty();

            assertThat(AnonymiserApplication.run(arguments)).as("already completed: refused").isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from batch_job_execution", Long.class)).isEqualTo(4);
        }
    }
}
