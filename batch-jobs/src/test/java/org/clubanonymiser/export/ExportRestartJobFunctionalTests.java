package org.clubanonymiser.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.exportrecord.ExportStatus;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.support.workbook.ExportIdentity;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failed export resumes with the same parameters and produces the same file as an uninterrupted run: a failure in
 * the middle of step 1 (after one committed chunk) and in the middle of step 2 (rows already in the SXSSF workbook
 * and its temp file), and a restart whose step execution context is out of step with the manifest (two databases).
 * No duplicate in the manifest, progress counted once, no temp file left, on H2 and PostgreSQL.
 */
class ExportRestartJobFunctionalTests {

    @Import(ExportTestConfiguration.class)
    @ExtendWith(OutputCaptureExtension.class)
    @TestPropertySource(properties = { ExportJobFunctionalTests.CHUNK_SIZE, ExportJobFunctionalTests.WINDOW })
    abstract static class Contract {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        MeterRegistry meterRegistry;

        @Autowired
        JobOperator jobOperator;

        @Autowired
        Job exportJob;

        @Autowired
        StorageLayout storage;

        @Autowired
        ExportRecords records;

        @Autowired
        ExportFaults faults;

        @Autowired
        JobRepository jobRepository;

        @AfterEach
        void disarm() {
            faults.reset();
        }

        @Test
        void aFailureInTheMiddleOfStep1ResumesAfterTheLastCommittedChunk() throws Exception {
            ExportScenario scenario = new ExportScenario(jdbc);
            List<List<Object>> uninterrupted = membersValues(run(scenario.parameters("Uninterrupted")));
            JobParameters parameters = scenario.parameters("Interrupted in step 1");
            double judgedBefore = judged(scenario.clubId);

            // Chunks of 4: the first commits (members 1-4, three eligible), the 7th member read fails the second.
            faults.failMemberRead(7);
            JobExecution failed = jobOperator.start(exportJob, parameters);
            faults.reset();

            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(failed.getAllFailureExceptions()).anySatisfy(ex -> assertThat(ex)
                .hasRootCauseInstanceOf(ExportFaults.InjectedFailure.class));
            ExportRecord interrupted = records.findByJobInstance(failed.getJobInstance().getInstanceId())
                .orElseThrow();
            assertThat(interrupted.status()).isEqualTo(ExportStatus.FAILED);
            assertThat(interrupted.membersScanned()).isEqualTo(4);
            assertThat(interrupted.membersEligible()).isEqualTo(3);
            assertThat(manifestIds(interrupted.id())).containsExactly(scenario.data.id(1), scenario.data.id(2),
                    scenario.data.id(4));
            assertThat(zipsOf(interrupted.id())).isEmpty();
            ExportWorkbooks.assertNoTempFiles(storage.root());

            JobExecution restarted = jobOperator.start(exportJob, parameters);

            assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(restarted.getJobInstance().getInstanceId())
                .isEqualTo(failed.getJobInstance().getInstanceId());
            assertThat(ExportJobFunctionalTests.Contract.step(restarted, "exportManifestStep").getReadCount())
                .isEqualTo(26);
            ExportRecord export = records.find(interrupted.id()).orElseThrow();
            assertCompletedAsUninterrupted(export, scenario, uninterrupted);
            // Counted when chunks commit: over the failed run and its restart, each of the 30 members once.
            assertThat(judged(scenario.clubId) - judgedBefore).isEqualTo(30);
        }

        /**
         * Two databases (Data Flow): the job repository's step execution context and the manifest commit in two
         * transactions, so a crash between them leaves the context a chunk ahead of the manifest (the chunk of
         * members 5 to 8 saved as read, its eligible members never listed) or a chunk behind (members 1 to 4 to be
         * read again). Simulated here by moving the failed step's saved context; the restart resumes from the product
         * database's committed position, so every member is judged once and every eligible member listed once.
         */
        @ParameterizedTest
        @ValueSource(strings = { "ahead", "behind" })
        void aStepExecutionContextOutOfStepWithTheManifestResumesFromTheManifest(String where,
                CapturedOutput output) throws Exception {
            ExportScenario scenario = new ExportScenario(jdbc);
            List<List<Object>> uninterrupted = membersValues(run(scenario.parameters("Uninterrupted")));
            JobParameters parameters = scenario.parameters("Out of step");
            faults.failMemberRead(7);
            JobExecution failed = jobOperator.start(exportJob, parameters);
            faults.reset();
            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            ExportRecord interrupted = records.findByJobInstance(failed.getJobInstance().getInstanceId())
                .orElseThrow();
            assertThat(records.scanPosition(interrupted.id()))
                .isEqualTo(new ExportRecords.ScanPosition(4, scenario.data.id(4)));

            StepExecution saved = jobRepository.getLastStepExecution(failed.getJobInstance(), "exportManifestStep");
            if (where.equals("ahead")) {
                saved.getExecutionContext().putInt(ManifestRestartPosition.READ_COUNT, 8);
                saved.getExecutionContext().put(ManifestRestartPosition.START_AFTER,
                        new java.util.LinkedHashMap<>(java.util.Map.of("id", scenario.data.id(8))));
            }
            else {
                saved.getExecutionContext().remove(ManifestRestartPosition.READ_COUNT);
                saved.getExecutionContext().remove(ManifestRestartPosition.START_AFTER);
            }
            jobRepository.updateExecutionContext(saved);
            JobExecution restarted = jobOperator.start(exportJob, parameters);

            assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(ExportJobFunctionalTests.Contract.step(restarted, "exportManifestStep").getReadCount())
                .isEqualTo(26);
            assertCompletedAsUninterrupted(records.find(interrupted.id()).orElseThrow(), scenario, uninterrupted);
            assertThat(output).contains("Export " + interrupted.id() + ": the job repository's step execution context"
                    + " resumes after " + (where.equals("ahead") ? 8 : 0) + " members")
                .contains("the product database after 4 (member id " + scenario.data.id(4) + ")");
        }

        private double judged(long clubId) {
            return meterRegistry.find(EligibilityProcessor.METRIC).tag("club", Long.toString(clubId)).counters()
                .stream().mapToDouble(Counter::count).sum();
        }

        /**
         * Row 13: 12 of 15 rows in the workbook, 2 already flushed by the window of 10 to POI's temp file. Row 1: the
         * failure between the two steps (step 1 committed, nothing of the workbook written yet).
         */
        @ParameterizedTest
        @ValueSource(ints = { 1, 13 })
        void aFailureInStep2RegeneratesTheWholeFile(int failingRow) throws Exception {
            ExportScenario scenario = new ExportScenario(jdbc);
            List<List<Object>> uninterrupted = membersValues(run(scenario.parameters("Uninterrupted")));
            JobParameters parameters = scenario.parameters("Interrupted in step 2");

            faults.failWorkbookRow(failingRow);
            JobExecution failed = jobOperator.start(exportJob, parameters);
            faults.reset();

            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(ExportJobFunctionalTests.Contract.step(failed, "exportManifestStep").getStatus())
                .isEqualTo(BatchStatus.COMPLETED);
            assertThat(ExportJobFunctionalTests.Contract.step(failed, "exportWorkbookStep").getStatus())
                .isEqualTo(BatchStatus.FAILED);
            ExportRecord interrupted = records.findByJobInstance(failed.getJobInstance().getInstanceId())
                .orElseThrow();
            assertThat(interrupted.status()).isEqualTo(ExportStatus.FAILED);
            assertThat(interrupted.fileName()).isNull();
            assertThat(manifestIds(interrupted.id())).hasSize(15);
            assertThat(zipsOf(interrupted.id())).isEmpty();
            ExportWorkbooks.assertNoTempFiles(storage.root());

            JobExecution restarted = jobOperator.start(exportJob, parameters);

            assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            // Step 1 completed: only step 2 runs again.
            assertThat(restarted.getStepExecutions()).extracting(StepExecution::getStepName)
                .containsExactly("exportWorkbookStep");
            ExportRecord export = records.find(interrupted.id()).orElseThrow();
            assertCompletedAsUninterrupted(export, scenario, uninterrupted);
        }

        private void assertCompletedAsUninterrupted(ExportRecord export, ExportScenario scenario,
                List<List<Object>> uninterrupted) throws Exception {
            assertThat(export.status()).isEqualTo(ExportStatus.COMPLETED);
            assertThat(export.membersScanned()).isEqualTo(30);
            assertThat(export.membersEligible()).isEqualTo(15);
            assertThat(export.rowCount()).isEqualTo(15);
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_export where name = ?", Long.class,
                    export.name())).isOne();
            List<Long> manifest = manifestIds(export.id());
            assertThat(manifest).doesNotHaveDuplicates().isEqualTo(scenario.expectedIds());
            ExportWorkbooks.ZipContent zip = ExportWorkbooks.unzip(storage.exportsDir().resolve(export.fileName()));
            assertThat(export.workbookChecksum()).isEqualTo(ExportWorkbooks.sha256(zip.workbook()));
            try (XSSFWorkbook workbook = ExportWorkbooks.open(zip.workbook())) {
                assertThat(ExportWorkbooks.membersValues(workbook)).isEqualTo(uninterrupted);
                ExportIdentity identity = ExportIdentity.fromProperties(ExportWorkbooks.customProperties(workbook));
                assertThat(identity.exportId()).isEqualTo(export.id());
                assertThat(identity.rowCount()).isEqualTo(15);
                assertThat(ExportWorkbooks.identitySheet(workbook)).isEqualTo(identity.toProperties());
            }
            assertThat(zipsOf(export.id())).containsExactly(storage.exportsDir().resolve(export.fileName()));
            ExportWorkbooks.assertNoTempFiles(storage.root());
        }

        private ExportRecord run(JobParameters parameters) throws Exception {
            JobExecution execution = jobOperator.start(exportJob, parameters);
            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            return records.findByJobInstance(execution.getJobInstance().getInstanceId()).orElseThrow();
        }

        private List<List<Object>> membersValues(ExportRecord export) throws Exception {
            ExportWorkbooks.ZipContent zip = ExportWorkbooks.unzip(storage.exportsDir().resolve(export.fileName()));
            try (XSSFWorkbook workbook = ExportWorkbooks.open(zip.workbook())) {
                List<List<Object>> values = ExportWorkbooks.membersValues(workbook);
                assertThat(values).hasSize(16);
                return values;
            }
        }

        private List<Long> manifestIds(long exportId) {
            return jdbc.queryForList("select member_id from anonymisation_export_member where export_id = ?"
                    + " order by member_id", Long.class, exportId);
        }

        private List<Path> zipsOf(long exportId) throws Exception {
            try (Stream<Path> files = Files.list(storage.exportsDir())) {
                return files.filter(f -> f.getFileName().toString().startsWith("export-" + exportId + "-")).toList();
            }
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Contract {
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Contract {
    }

    @Nested
    @OracleModeDatabase
    class OnOracleMode extends Contract {
    }
}
