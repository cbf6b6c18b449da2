package org.clubanonymiser.importing;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

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
import org.springframework.batch.core.step.skip.SkipLimitExceededException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code anonymiser.import.skip-limit}: the rows the validator rejects (skipped rows) are bounded per import, across
 * restarts; the rows the writer keeps because they changed since validation ({@code NO_LONGER_ELIGIBLE},
 * {@code ALREADY_ANONYMISED}) are outcomes of the members' own life, not faults of the file, and do not count. A
 * limit of 2 and chunks of 3 rows, on H2 (the rule involves no SQL of its own).
 */
@Import(ImportConcurrencyJobFunctionalTests.InterleavingConfiguration.class)
@TestPropertySource(properties = { "anonymiser.import.chunk-size=3", "anonymiser.import.skip-limit=2" })
class ImportSkipLimitJobFunctionalTests {
    abstract static class Contract {

        static final List<Long> EXPORTED = LongStream.rangeClosed(101, 110).boxed().toList();

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        StorageLayout storage;

        @Autowired
        JobOperator jobOperator;

        @Autowired
        @Qualifier("importJob")
        Job importJob;

        @Autowired
        ImportConcurrencyJobFunctionalTests.Interleaving interleaving;

        @TempDir
        Path work;

        ExportFixtures fixtures;

        ExportFixtures.Export export;

        final ExecutorService otherConnection = Executors.newSingleThreadExecutor();

        @BeforeEach
        void setUp() {
            fixtures = new ExportFixtures(jdbc, storage, work);
            fixtures.clean();
            fixtures.standardClubs();
            EXPORTED.forEach(id -> fixtures.eligibleMember(id, 1));
            export = fixtures.export(1, EXPORTED);
        }

        @AfterEach
        void tearDown() throws InterruptedException {
            interleaving.reset();
            otherConnection.shutdownNow();
            assertThat(otherConnection.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        /**
         * Rows 4, 6 and 10 (members 103, 105, 109) edited, one per chunk: chunks 1 and 2 commit with one rejection each,
         * the third rejection exceeds the limit and fails the step; its chunk rolls back. A restart of the same file meets
         * the same third rejection and fails the same way, changing nothing: the limit is the import's, not the run's.
         */
        @Test
        void aThirdRejectedRowFailsTheImportAndARestartFailsAgainChangingNothing() throws Exception {
            Path reviewed = fixtures.resaveWithPoi(export.workbook(), MembersSheetEditor.edit(sheet -> sheet
                .set(103, MembersSheet.COL_LAST_NAME, "Edited")
                .set(105, MembersSheet.COL_LAST_NAME, "Edited")
                .set(109, MembersSheet.COL_LAST_NAME, "Edited")));
            JobParameters parameters = ImportJobParameters.of(reviewed, ExportFixtures.ADMIN);
            List<Long> anonymised = List.of(101L, 102L, 104L, 106L);

            JobExecution failed = jobOperator.start(importJob, parameters);

            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(failed.getExitStatus().getExitCode()).isEqualTo("FAILED");
            StepExecution step = step(failed);
            assertThat(step.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(step.getFailureExceptions()).singleElement().satisfies(this::exceedsTheLimit);
            assertThat(step.getProcessSkipCount()).isEqualTo(2);
            assertThat(step.getWriteCount()).isEqualTo(4);
            assertThat(step.getCommitCount()).isEqualTo(2);
            long importId = importId(failed);
            assertFailedAfterTwoChunks(importId, anonymised);
            var membersAfterFailure = MemberTables.all(jdbc);

            JobExecution restarted = jobOperator.start(importJob, parameters);

            assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
            assertThat(restarted.getStatus()).isEqualTo(BatchStatus.FAILED);
            StepExecution again = step(restarted);
            assertThat(again.getFailureExceptions()).singleElement().satisfies(this::exceedsTheLimit);
            assertThat(again.getProcessSkipCount()).isZero();
            assertThat(again.getWriteCount()).isZero();
            assertThat(again.getCommitCount()).isZero();
            assertFailedAfterTwoChunks(importId, anonymised);
            assertThat(MemberTables.all(jdbc)).isEqualTo(membersAfterFailure);
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_import", Long.class)).isOne();
        }

        /** The import record, the rejections and the members as the first two chunks left them. */
        private void assertFailedAfterTwoChunks(long importId, List<Long> anonymised) {
            assertThat(Rows.map(jdbc, "select * from anonymisation_import where id = ?", importId))
                .containsEntry("STATUS", "FAILED")
                .containsEntry("FAILURE_CODE", "TOO_MANY_REJECTIONS")
                .containsEntry("ROWS_READ", 6L)
                .containsEntry("MEMBERS_ANONYMISED", 4L)
                .containsEntry("ROWS_REJECTED", 2L)
                .containsEntry("ERROR_FILE", null);
            assertThat(jdbc.queryForList("select row_number || ':' || member_id || ':' || code"
                    + " from anonymisation_import_rejection where import_id = ? order by row_number", String.class,
                    importId))
                .containsExactly("4:103:CONTENT_MODIFIED", "6:105:CONTENT_MODIFIED");
            assertThat(jdbc.queryForList("select member_id from anonymisation_ledger order by member_id", Long.class))
                .containsExactlyElementsOf(anonymised);
            assertThat(jdbc.queryForObject("select count(*) from member where status = 'ANONYMISED'", Long.class))
                .isEqualTo(anonymised.size());
            assertThat(export.zip()).exists();
        }

        /**
         * Three rows the writer keeps (a visit committed by another connection just before each chunk locks its
         * members): three {@code NO_LONGER_ELIGIBLE} rejections, over the limit of 2, and the import completes.
         */
        @Test
        void rowsTheWriterKeepsDoNotCountAgainstTheLimit() throws Exception {
            List<Long> comeBack = List.of(101L, 104L, 108L);
            interleaving.beforeLock = (importId, ids) -> {
                for (long memberId : comeBack) {
                    if (ids.contains(memberId)) {
                        otherConnection.submit(() -> jdbc.update("insert into visit (id, member_id, club_id, visited_at)"
                                + " values (?, ?, 1, current_timestamp)", memberId * 10 + 7, memberId))
                            .get(30, TimeUnit.SECONDS);
                    }
                }
            };
            Path reviewed = fixtures.resaveWithPoi(export.workbook());

            JobExecution execution = jobOperator.start(importJob, ImportJobParameters.of(reviewed, ExportFixtures.ADMIN));

            assertThat(execution.getStatus()).as(execution.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
            assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED_WITH_ERRORS");
            assertThat(step(execution).getProcessSkipCount()).isZero();
            long importId = importId(execution);
            assertThat(jdbc.queryForList("select member_id || ':' || code from anonymisation_import_rejection"
                    + " where import_id = ? order by row_number", String.class, importId))
                .containsExactly("101:NO_LONGER_ELIGIBLE", "104:NO_LONGER_ELIGIBLE", "108:NO_LONGER_ELIGIBLE");
            assertThat(Rows.map(jdbc, "select * from anonymisation_import where id = ?", importId))
                .containsEntry("STATUS", "COMPLETED_WITH_ERRORS")
                .containsEntry("ROWS_READ", 10L)
                .containsEntry("MEMBERS_ANONYMISED", 7L)
                .containsEntry("ROWS_REJECTED", 3L);
            assertThat(jdbc.queryForList("select member_id from anonymisation_ledger order by member_id", Long.class))
                .containsExactlyElementsOf(EXPORTED.stream().filter(id -> !comeBack.contains(id)).toList());
        }

        /** Spring Batch wraps the chunk's failure: the limit exceeded, on the third rejected row. */
        private void exceedsTheLimit(Throwable failure) {
            Throwable t = failure;
            while (t != null && !(t instanceof SkipLimitExceededException)) {
                t = t.getCause();
            }
            assertThat(t).as("a SkipLimitExceededException among the causes of %s", failure)
                .isInstanceOf(SkipLimitExceededException.class);
            assertThat(((SkipLimitExceededException) t).getSkipLimit()).isEqualTo(2);
            assertThat(failure).hasRootCauseInstanceOf(RowRejectedException.class);
        }

        private StepExecution step(JobExecution execution) {
            return execution.getStepExecutions().stream()
                .filter(s -> s.getStepName().equals("importAnonymiseStep"))
                .findFirst()
                .orElseThrow();
        }

        /** This execution's own import record, by its job instance (never the newest record of the table). */
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
