package org.clubanonymiser.importing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.support.workbook.MembersSheet;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.Rows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.core.step.tasklet.TaskletStep;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failure in each of {@code importJob}'s steps other than the anonymising one (whose restart
 * {@code ImportJobFunctionalTests} covers), then a restart with the same parameters: an infrastructure error in
 * {@code importFileGateStep} (not a refusal), a failure at the k-th row of the error file in
 * {@code importErrorFileStep}, and a failure after the first slice of {@code importCompletionStep}. Each restart ends
 * as an uninterrupted import would: the error file equal to the rejection table, claims 0, the ledger written once,
 * and (for imports where every row resolves, so the assertion holds whatever the manifest keeps for unresolved rows)
 * the manifest erased and the export's zip deleted. Failures are injected by test beans only (a wrapped tasklet, a
 * JdbcTemplate failing at a chosen row); chunks of 5, completion slices of 5.
 */
@Import(ImportStepRestartJobFunctionalTests.Faults.class)
@TestPropertySource(properties = { "anonymiser.import.chunk-size=5", "anonymiser.import.completion-slice=5" })
class ImportStepRestartJobFunctionalTests {

    /** Test-only fault injection; disarmed unless a test arms it. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Faults {

        /** Error-file rows left before the injected failure (-1: disarmed). */
        static final AtomicInteger ERROR_FILE_ROWS_LEFT = new AtomicInteger(-1);

        /** Completion-step calls (slices) left before the injected failure (-1: disarmed). */
        static final AtomicInteger COMPLETION_CALLS_LEFT = new AtomicInteger(-1);

        static void reset() {
            ERROR_FILE_ROWS_LEFT.set(-1);
            COMPLETION_CALLS_LEFT.set(-1);
        }

        /**
         * The product's error-file tasklet, its JdbcTemplate swapped (as Spring creates the step-scoped tasklet) for
         * one whose row callback fails at the armed row.
         */
        @Bean
        static BeanPostProcessor errorFileFault() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    // The step-scoped target, not its proxy (also an ErrorFileTasklet, created at startup).
                    if (bean instanceof ErrorFileTasklet tasklet
                            && beanName.equals("scopedTarget.importErrorFileTasklet")) {
                        JdbcTemplate jdbc = (JdbcTemplate) ReflectionTestUtils.getField(tasklet, "jdbc");
                        ReflectionTestUtils.setField(tasklet, "jdbc", new JdbcTemplate(jdbc.getDataSource()) {
                            @Override
                            public void query(String sql, RowCallbackHandler handler, Object... args) {
                                super.query(sql, (RowCallbackHandler) rs -> {
                                    if (ERROR_FILE_ROWS_LEFT.get() > 0 && ERROR_FILE_ROWS_LEFT.decrementAndGet() == 0) {
                                        throw new IllegalStateException("injected failure in the error file");
                                    }
                                    handler.processRow(rs);
                                }, args);
                            }
                        });
                    }
                    return bean;
                }
            };
        }

        /** Wraps the completion step's tasklet: the n-th call (slice) fails before doing anything. */
        @Bean
        static BeanPostProcessor completionFault() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof TaskletStep step && beanName.equals("importCompletionStep")) {
                        Tasklet tasklet = step.getTasklet();
                        step.setTasklet((contribution, chunkContext) -> {
                            if (COMPLETION_CALLS_LEFT.get() > 0 && COMPLETION_CALLS_LEFT.decrementAndGet() == 0) {
                                throw new IllegalStateException("injected failure between completion slices");
                            }
                            return tasklet.execute(contribution, chunkContext);
                        });
                    }
                    return bean;
                }
            };
        }
    }

    abstract static class Contract {

        static final List<Long> EXPORTED = LongStream.rangeClosed(101, 112).boxed().toList();

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        StorageLayout storage;

        @Autowired
        JobOperator jobOperator;

        @Autowired
        @Qualifier("importJob")
        Job importJob;

        @TempDir
        Path work;

        ExportFixtures fixtures;

        ExportFixtures.Export export;

        @BeforeEach
        void setUp() {
            Faults.reset();
            fixtures = new ExportFixtures(jdbc, storage, work);
            fixtures.clean();
            fixtures.standardClubs();
            EXPORTED.forEach(id -> fixtures.eligibleMember(id, 1));
            export = fixtures.export(1, EXPORTED);
        }

        @AfterEach
        void disarm() {
            Faults.reset();
        }

        /**
         * The gate's database is briefly unusable (the users table renamed away): the gate fails with an error, not a
         * refusal, before any member is touched; the same command then imports the file as if nothing had happened.
         */
        @Test
        void anInfrastructureErrorInTheGateFailsTheJobAndTheRestartImportsEverything() throws Exception {
            JobParameters parameters = ImportJobParameters.of(fixtures.resaveWithPoi(export.workbook()),
                    ExportFixtures.ADMIN);
            var membersBefore = MemberTables.all(jdbc);
            jdbc.execute("alter table app_user rename to app_user_away");
            JobExecution failed;
            try {
                failed = jobOperator.start(importJob, parameters);
            }
            finally {
                jdbc.execute("alter table app_user_away rename to app_user");
            }

            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(failed.getExitStatus().getExitCode()).as("an error, not a refusal").isEqualTo("FAILED");
            assertThat(steps(failed)).containsExactly("importFileGateStep:FAILED");
            long importId = importId(failed);
            assertThat(Rows.map(jdbc, "select status, failure_code, rows_read from anonymisation_import where id = ?",
                    importId))
                .containsEntry("STATUS", "FAILED")
                .containsEntry("FAILURE_CODE", "ERROR")
                .containsEntry("ROWS_READ", 0L);
            assertThat(MemberTables.all(jdbc)).isEqualTo(membersBefore);
            assertThat(export.zip()).exists();

            JobExecution restarted = jobOperator.start(importJob, parameters);

            assertRestartCompleted(failed, restarted, List.of());
            assertThat(steps(restarted)).containsExactly("importFileGateStep:COMPLETED",
                    "importAnonymiseStep:COMPLETED", "importErrorFileStep:COMPLETED", "importCompletionStep:COMPLETED");
            assertEveryRowResolved(importId);
        }

        /**
         * The error file fails at its 2nd row (of 3): no error file, no temp file, the job FAILED with every member
         * already anonymised; the restart renders the whole file again from the committed rejections (not the
         * anonymisation, which completed) and completes.
         */
        @Test
        void aFailureInsideTheErrorFileIsRenderedWholeByTheRestart() throws Exception {
            Path reviewed = fixtures.resaveWithPoi(export.workbook(), MembersSheetEditor.edit(sheet -> sheet
                .set(103, MembersSheet.COL_LAST_NAME, "Edited")
                .set(107, MembersSheet.COL_MEMBER_NUMBER, "M108")
                .set(111, MembersSheet.COL_MEMBER_ID, null)));
            JobParameters parameters = ImportJobParameters.of(reviewed, ExportFixtures.ADMIN);
            List<String> expected = List.of("4:103:M103:CONTENT_MODIFIED", "8:107:M108:ID_NUMBER_MISMATCH",
                    "12:null:M111:MISSING_ID");
            Faults.ERROR_FILE_ROWS_LEFT.set(2);

            JobExecution failed = jobOperator.start(importJob, parameters);

            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(failed.getExitStatus().getExitCode()).isEqualTo("FAILED");
            assertThat(steps(failed)).containsExactly("importFileGateStep:COMPLETED", "importAnonymiseStep:COMPLETED",
                    "importErrorFileStep:FAILED");
            long importId = importId(failed);
            assertThat(rejectionTable(importId)).containsExactlyElementsOf(expected);
            assertThat(storage.errorsDir().resolve(ErrorFileTasklet.fileName(importId))).doesNotExist();
            assertThat(Rows.map(jdbc, "select status, error_file from anonymisation_import where id = ?", importId))
                .containsEntry("STATUS", "FAILED")
                .containsEntry("ERROR_FILE", null);
            assertNoTempFile();
            List<Long> anonymised = List.of(101L, 102L, 104L, 105L, 106L, 108L, 109L, 110L, 112L);
            assertThat(ledger()).containsExactlyElementsOf(anonymised);

            JobExecution restarted = jobOperator.start(importJob, parameters);

            assertRestartCompleted(failed, restarted, anonymised);
            assertThat(restarted.getExitStatus().getExitCode()).isEqualTo("COMPLETED_WITH_ERRORS");
            assertThat(steps(restarted)).containsExactly("importFileGateStep:COMPLETED", "importErrorFileStep:COMPLETED",
                    "importCompletionStep:COMPLETED");
            assertThat(errorFile(importId)).containsExactlyElementsOf(rejectionTable(importId))
                .containsExactlyElementsOf(expected);
            assertThat(Rows.map(jdbc, "select * from anonymisation_import where id = ?", importId))
                .containsEntry("STATUS", "COMPLETED_WITH_ERRORS")
                .containsEntry("ROWS_READ", 12L)
                .containsEntry("MEMBERS_ANONYMISED", 9L)
                .containsEntry("ROWS_REJECTED", 3L)
                .containsEntry("ERROR_FILE", ErrorFileTasklet.fileName(importId));
            assertThat(claims()).isZero();
        }

        /**
         * The completion fails after its first slice committed (5 of the 12 manifest rows erased, the zip deleted): the
         * import is FAILED, the ledger complete; the restart passes the gate again (the export is not yet recorded as
         * purged), starts the completion from its first slice and ends with the export purged and the claims gone.
         */
        @Test
        void aFailureBetweenCompletionSlicesIsFinishedByTheRestart() throws Exception {
            JobParameters parameters = ImportJobParameters.of(fixtures.resaveWithPoi(export.workbook()),
                    ExportFixtures.ADMIN);
            Faults.COMPLETION_CALLS_LEFT.set(2);

            JobExecution failed = jobOperator.start(importJob, parameters);

            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(failed.getExitStatus().getExitCode()).isEqualTo("FAILED");
            assertThat(steps(failed)).containsExactly("importFileGateStep:COMPLETED", "importAnonymiseStep:COMPLETED",
                    "importErrorFileStep:COMPLETED", "importCompletionStep:FAILED");
            assertThat(step(failed, "importCompletionStep").getCommitCount()).isOne();
            long importId = importId(failed);
            assertThat(jdbc.queryForObject("select status from anonymisation_import where id = ?", String.class,
                    importId)).isEqualTo("FAILED");
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_export_member where export_id = ?"
                    + " and fingerprint is null", Long.class, export.id())).as("the first slice, erased").isEqualTo(5);
            assertThat(ledger()).containsExactlyElementsOf(EXPORTED);

            JobExecution restarted = jobOperator.start(importJob, parameters);

            assertRestartCompleted(failed, restarted, EXPORTED);
            assertThat(steps(restarted)).containsExactly("importFileGateStep:COMPLETED", "importErrorFileStep:COMPLETED",
                    "importCompletionStep:COMPLETED");
            assertEveryRowResolved(importId);
        }

        /** The same job instance, COMPLETED, with the ledger exactly {@code anonymisedBefore} plus what was left. */
        private void assertRestartCompleted(JobExecution failed, JobExecution restarted, List<Long> anonymisedBefore) {
            assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
            assertThat(restarted.getStatus()).as(restarted.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_import", Long.class)).isOne();
            assertThat(jdbc.queryForList("select distinct import_id from anonymisation_ledger", Long.class))
                .containsExactly(importId(failed));
            if (!anonymisedBefore.isEmpty()) {
                assertThat(ledger()).as("the ledger, unchanged by the restart").containsExactlyElementsOf(
                        anonymisedBefore);
            }
            assertNoTempFile();
        }

        /** An import where every row resolved: all anonymised, the export purged, no error file, no claim. */
        private void assertEveryRowResolved(long importId) {
            assertThat(ledger()).containsExactlyElementsOf(EXPORTED);
            assertThat(jdbc.queryForObject("select count(*) from member where status = 'ANONYMISED'", Long.class))
                .isEqualTo(EXPORTED.size());
            assertThat(Rows.map(jdbc, "select * from anonymisation_import where id = ?", importId))
                .containsEntry("STATUS", "COMPLETED")
                .containsEntry("FAILURE_CODE", null)
                .containsEntry("ROWS_READ", 12L)
                .containsEntry("MEMBERS_ANONYMISED", 12L)
                .containsEntry("ROWS_REJECTED", 0L)
                .containsEntry("ERROR_FILE", null);
            assertThat(storage.errorsDir().resolve(ErrorFileTasklet.fileName(importId))).doesNotExist();
            assertThat(export.zip()).doesNotExist();
            assertThat(jdbc.queryForObject("select file_deleted_at from anonymisation_export where id = ?",
                    Timestamp.class, export.id())).isNotNull();
            List<Map<String, Object>> manifest = jdbc.queryForList(
                    "select * from anonymisation_export_member where export_id = ? order by member_id", export.id());
            assertThat(manifest).extracting(row -> ((Number) row.get("MEMBER_ID")).longValue())
                .containsExactlyElementsOf(EXPORTED);
            for (Map<String, Object> row : manifest) {
                // Member ids and each row's resolution are all that stays of a resolved manifest.
                assertThat(row.get("RESOLUTION")).as("resolution").isEqualTo("ANONYMISED");
                row.entrySet().stream()
                    .filter(e -> !e.getKey().equalsIgnoreCase("export_id") && !e.getKey().equalsIgnoreCase("member_id")
                            && !e.getKey().equalsIgnoreCase("resolution"))
                    .forEach(e -> assertThat(e.getValue()).as(e.getKey()).isNull());
            }
            assertThat(claims()).isZero();
        }

        private List<Long> ledger() {
            return jdbc.queryForList("select member_id from anonymisation_ledger order by member_id", Long.class);
        }

        private long claims() {
            return jdbc.queryForObject("select count(*) from anonymisation_import_claim", Long.class);
        }

        private List<String> rejectionTable(long importId) {
            return jdbc.queryForList("""
                    select row_number || ':' || coalesce(cast(member_id as varchar(20)), 'null') || ':'
                        || coalesce(member_number, 'null') || ':' || code
                    from anonymisation_import_rejection where import_id = ? order by row_number""", String.class,
                    importId);
        }

        /** The error file's rows in the rejection table's form. */
        private List<String> errorFile(long importId) throws Exception {
            List<String> rows = new ArrayList<>();
            try (InputStream in = Files.newInputStream(storage.errorsDir().resolve(ErrorFileTasklet.fileName(importId)));
                    XSSFWorkbook workbook = new XSSFWorkbook(in)) {
                for (Row row : workbook.getSheet(ErrorFileTasklet.SHEET_NAME)) {
                    if (row.getRowNum() == 0) {
                        continue;
                    }
                    String memberId = row.getCell(1) == null ? "null"
                            : String.valueOf((long) row.getCell(1).getNumericCellValue());
                    String memberNumber = row.getCell(2) == null ? "null" : row.getCell(2).getStringCellValue();
                    rows.add((long) row.getCell(0).getNumericCellValue() + ":" + memberId + ":" + memberNumber + ":"
                            + row.getCell(3).getStringCellValue());
                }
            }
            return rows;
        }

        private void assertNoTempFile() {
            try (Stream<Path> files = Files.walk(storage.root().resolve("tmp"))) {
                assertThat(files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().equals(".lock"))
                    .toList()).as("temp files").isEmpty();
            }
            catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }

        private static List<String> steps(JobExecution execution) {
            return execution.getStepExecutions().stream()
                .sorted(java.util.Comparator.comparingLong(StepExecution::getId))
                .map(step -> step.getStepName() + ":" + step.getStatus())
                .toList();
        }

        private static StepExecution step(JobExecution execution, String name) {
            return execution.getStepExecutions().stream().filter(s -> s.getStepName().equals(name)).findFirst()
                .orElseThrow();
        }

        /** The execution's own import record, by job instance. */
        private long importId(JobExecution execution) {
            return jdbc.queryForObject("select id from anonymisation_import where job_instance_id = ?", Long.class,
                    execution.getJobInstance().getInstanceId());
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Contract {
    }

    @Nested
    @OracleModeDatabase
    class OnOracleMode extends Contract {
    }
}
