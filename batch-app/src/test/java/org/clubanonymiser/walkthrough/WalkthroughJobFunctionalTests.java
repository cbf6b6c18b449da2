package org.clubanonymiser.walkthrough;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.clubanonymiser.AnonymiserApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command, as a user runs it (smaller): {@code demoWalkthroughJob} on a fresh H2 file database
 * seeds, exports, re-saves and imports, writes the import's privacy report (no personal value left, no name in it), and
 * exits 0; a second launch, identical or with other parameters, changes nothing, exits 1 and says what to do instead
 * (start over, or open the UI); {@code privacyReportJob} for a period exits 0.
 */
@ExtendWith(OutputCaptureExtension.class)
class WalkthroughJobFunctionalTests {

    @Test
    void seedsExportsReviewsAndImportsThenRefusesToRunTwice(CapturedOutput output) throws IOException {
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
                        "importJob:COMPLETED", "privacyReportJob:COMPLETED");
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

            long importId = jdbc.queryForObject("select id from anonymisation_import where export_id is not null",
                    Long.class);
            Path csv = work.resolve("reports").resolve("privacy-import-" + importId + ".csv");
            assertThat(csv).as("the walkthrough's privacy report").isRegularFile();
            assertThat(work.resolve("reports").resolve("privacy-import-" + importId + ".html")).isRegularFile();
            assertThat(Files.readAllLines(csv)).contains("outcome,anonymised," + exported,
                    "outcome,rejected,0", "outcome,kept_by_reviewer,0", "check,total_violations,0",
                    "request,import " + importId + ".requested_by,admin.multi");
            assertNoMemberName(jdbc, Files.readString(csv));

            // A newcomer runs the first command again: refused before any job instance, saying what to do instead.
            int before = output.getAll().length();
            assertThat(AnonymiserApplication.run(arguments)).as("already completed: refused").isEqualTo(1);
            assertSaysWhatToDoInstead(output.getAll().substring(before), work);
            // Other parameters too (demo data only seeds an empty database): the same refusal, no failed instance.
            before = output.getAll().length();
            assertThat(AnonymiserApplication.run("--spring.batch.job.name=demoWalkthroughJob", "members=300",
                    "seed=4", "--spring.datasource.url=" + url, "--anonymiser.storage-dir=" + work)).isEqualTo(1);
            assertSaysWhatToDoInstead(output.getAll().substring(before), work);
            assertThat(jdbc.queryForObject("select count(*) from batch_job_instance", Long.class)).isEqualTo(5);
            assertThat(jdbc.queryForObject("select count(*) from batch_job_execution", Long.class)).isEqualTo(5);
            assertThat(jdbc.queryForObject("select count(*) from member", Long.class)).isEqualTo(400);

            // The report job for ops, in task mode: a period, exit code 0, its files under reports/.
            assertThat(AnonymiserApplication.run("--spring.batch.job.name=privacyReportJob", "from=2000-01-01",
                    "to=2100-12-31", "--spring.datasource.url=" + url, "--anonymiser.storage-dir=" + work)).isZero();
            Path period = work.resolve("reports").resolve("privacy-2000-01-01-to-2100-12-31-all-clubs.csv");
            long ledger = jdbc.queryForObject("select count(*) from anonymisation_ledger", Long.class);
            assertThat(Files.readAllLines(period)).contains("outcome,anonymised," + ledger,
                    "check,total_violations,0");
            assertNoMemberName(jdbc, Files.readString(period));
        }
    }

    /**
     * With {@code anonymiser.privacy.creation-date-precision=MONTH}, the import truncates the creation date of every
     * member it anonymises to the first of its month, and its privacy report finds none left finer.
     */
    @Test
    void theImportGeneralisesTheCreationDateWhenTheOperatorChoosesTo() throws IOException {
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "walkthrough")), "month-")
            .toAbsolutePath();
        String url = "jdbc:h2:file:" + work.resolve("db/anonymiser");

        assertThat(AnonymiserApplication.run("--spring.batch.job.name=demoWalkthroughJob", "members=400", "clubs=2",
                "seed=3", "asOf=2026-11-29", "--spring.datasource.url=" + url, "--anonymiser.storage-dir=" + work,
                "--anonymiser.privacy.creation-date-precision=MONTH")).isZero();

        try (SingleConnectionDataSource dataSource = new SingleConnectionDataSource(url, "sa", "", true)) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            long importId = jdbc.queryForObject("select id from anonymisation_import where export_id is not null",
                    Long.class);
            List<java.sql.Timestamp> created = jdbc.queryForList("""
                    select m.created_at from member m join anonymisation_ledger l on l.member_id = m.id
                    where l.import_id = ?""", java.sql.Timestamp.class, importId);
            assertThat(created).isNotEmpty().allSatisfy(t -> {
                assertThat(t.toLocalDateTime().getDayOfMonth()).isEqualTo(1);
                assertThat(t.toLocalDateTime().toLocalTime()).isEqualTo(java.time.LocalTime.MIDNIGHT);
            });
            assertThat(jdbc.queryForObject("""
                    select count(*) from member where status <> 'ANONYMISED' and extract(day from created_at) = 1
                        and extract(hour from created_at) = 0 and extract(minute from created_at) = 0""", Long.class))
                .as("members kept are left alone (the demo creates none at midnight)").isZero();
            Path csv = work.resolve("reports").resolve("privacy-import-" + importId + ".csv");
            assertThat(Files.readAllLines(csv)).contains("report,creation_date_precision,MONTH",
                    "check,CREATION_DATE_PRECISION,0", "check,total_violations,0");
        }
    }

    /** The second launch's failure report: what happened and the exact commands to run instead, nothing personal. */
    private static void assertSaysWhatToDoInstead(String log, Path storageDir) {
        assertThat(log).contains("APPLICATION FAILED TO START")
            .contains("The walkthrough has already run on this database (storage dir " + storageDir + ")")
            .contains("Nothing was changed.")
            .contains("    rm -rf " + storageDir + "\n"
                    + "    java -jar batch-app/target/club-anonymiser.jar --spring.batch.job.name=demoWalkthroughJob")
            .contains("    java -jar batch-app/target/club-anonymiser.jar --anonymiser.mode=server")
            .doesNotContain("job instance already exists")
            .doesNotContain("Demo data is only seeded");
    }

    /** No last name of a member who keeps it appears (the demo's names are long enough to be unambiguous). */
    private static void assertNoMemberName(JdbcTemplate jdbc, String text) {
        List<String> names = jdbc.queryForList("""
                select last_name from member where status <> 'ANONYMISED' and length(last_name) >= 6""", String.class);
        assertThat(names).isNotEmpty().allSatisfy(name -> assertThat(text).doesNotContain(name));
    }
}
