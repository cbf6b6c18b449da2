package org.clubanonymiser.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.exportrecord.ExportStatus;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.support.workbook.ExportIdentity;
import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code chainExportJob} in local mode (partitions on a thread pool of 2): every club of the requesting user exported
 * once, each exactly as {@code exportJob} exports that club alone (record, manifest values, workbook rows and
 * identity); a club that fails is the only partition a restart runs again, in step 1 and in step 2; refusals before
 * any job instance exists. On H2 and PostgreSQL.
 */
class ChainExportJobFunctionalTests {

    @Import(ExportTestConfiguration.class)
    @TestPropertySource(properties = { ExportJobFunctionalTests.CHUNK_SIZE, ExportJobFunctionalTests.WINDOW,
            "anonymiser.partitioning.threads=2" })
    @ExtendWith(OutputCaptureExtension.class)
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
        Job chainExportJob;

        @Autowired
        StorageLayout storage;

        @Autowired
        ExportRecords records;

        @Autowired
        ExportFaults faults;

        ExportScenario scenario;

        /** Club 1 of the scenario (30 members, 15 eligible), club 2 (5 members) and a third of clients only. */
        List<Long> clubs;

        @BeforeEach
        void chainOfThreeClubs() {
            scenario = new ExportScenario(jdbc);
            long clients = scenario.data.club(3);
            for (int n = 201; n <= 203; n++) {
                scenario.data.member(n, clients).status("CLIENT").insert();
            }
            jdbc.update("insert into app_user_club (user_id, club_id) values (?, ?)", scenario.data.id(1), clients);
            clubs = List.of(scenario.clubId, scenario.otherClubId, clients);
        }

        @AfterEach
        void disarm() {
            faults.reset();
        }

        @Test
        void everyClubIsExportedOnceAsExportJobExportsItAlone(CapturedOutput output) throws Exception {
            JobParameters parameters = chainParameters("Chain");

            JobExecution execution = jobOperator.start(chainExportJob, parameters);

            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            List<ExportRecord> exports = records.listByJobInstance(execution.getJobInstance().getInstanceId());
            assertThat(exports).extracting(ExportRecord::clubId).containsExactlyElementsOf(clubs);
            assertThat(partitions(execution)).containsExactlyInAnyOrder(
                    "chainExportManifestStep", "chainExportWorkbookStep",
                    "exportManifestStep:club-" + clubs.get(0), "exportManifestStep:club-" + clubs.get(1),
                    "exportManifestStep:club-" + clubs.get(2), "exportWorkbookStep:club-" + clubs.get(0),
                    "exportWorkbookStep:club-" + clubs.get(1), "exportWorkbookStep:club-" + clubs.get(2));
            assertThat(execution.getStepExecutions()).allSatisfy(
                    step -> assertThat(step.getStatus()).isEqualTo(BatchStatus.COMPLETED));
            assertThat(step(execution, "exportManifestStep:club-" + clubs.get(0)).getReadCount()).isEqualTo(30);
            assertThat(step(execution, "exportManifestStep:club-" + clubs.get(1)).getReadCount()).isEqualTo(5);
            assertThat(step(execution, "exportManifestStep:club-" + clubs.get(2)).getReadCount()).isEqualTo(3);
            assertThat(manifestRows(exports.get(0).id())).isEqualTo(scenario.expectedRows());
            // Each partition's last progress line names its club; the gauges sum the partitions of a step.
            assertThat(output.getOut()).contains(
                    "Progress exportManifestStep:club-" + clubs.get(0) + " ended at 30 / 30 members (100.0%)",
                    "Progress exportManifestStep:club-" + clubs.get(1) + " ended at 5 / 5 members (100.0%)",
                    "Progress exportManifestStep:club-" + clubs.get(2) + " ended at 3 / 3 members (100.0%)",
                    "Progress exportWorkbookStep:club-" + clubs.get(0) + " ended at 15 / 15 rows (100.0%)");
            assertThat(meterRegistry.get("anonymiser.progress.done")
                .tag("job.name", "chainExportJob")
                .tag("step.name", "exportManifestStep")
                .gauge()
                .value()).isEqualTo(38);

            for (ExportRecord export : exports) {
                assertSameAsExportJob(export, parameters);
            }
            ExportWorkbooks.assertNoTempFiles(storage.root());
        }

        @Test
        void aClubFailingInStep1IsTheOnlyPartitionARestartRunsAgain() throws Exception {
            JobParameters parameters = chainParameters("Chain failing in step 1");
            long failing = scenario.clubId;
            double judgedBefore = judged(failing);

            // Chunks of 4: the failing club's first chunk commits, its 7th member fails the second.
            faults.onlyClub(failing);
            faults.failMemberRead(7);
            JobExecution failed = jobOperator.start(chainExportJob, parameters);
            faults.reset();

            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(step(failed, "exportManifestStep:club-" + failing).getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(step(failed, "exportManifestStep:club-" + clubs.get(1)).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);
            assertThat(step(failed, "exportManifestStep:club-" + clubs.get(2)).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);
            assertThat(partitions(failed)).doesNotContain("chainExportWorkbookStep");
            long instance = failed.getJobInstance().getInstanceId();
            assertThat(records.listByJobInstance(instance)).allSatisfy(
                    export -> assertThat(export.status()).isEqualTo(ExportStatus.FAILED));
            ExportRecord interrupted = records.findByJobInstance(instance, failing).orElseThrow();
            assertThat(interrupted.membersScanned()).isEqualTo(4);
            assertThat(manifestIds(interrupted.id())).containsExactly(scenario.data.id(1), scenario.data.id(2),
                    scenario.data.id(4));
            ExportWorkbooks.assertNoTempFiles(storage.root());

            JobExecution restarted = jobOperator.start(chainExportJob, parameters);

            assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(instance);
            // The clubs whose manifest completed are not read again; every workbook is rendered once.
            assertThat(partitions(restarted)).containsExactlyInAnyOrder("chainExportManifestStep",
                    "exportManifestStep:club-" + failing, "chainExportWorkbookStep",
                    "exportWorkbookStep:club-" + clubs.get(0), "exportWorkbookStep:club-" + clubs.get(1),
                    "exportWorkbookStep:club-" + clubs.get(2));
            assertThat(step(restarted, "exportManifestStep:club-" + failing).getReadCount()).isEqualTo(26);
            assertThat(judged(failing) - judgedBefore).isEqualTo(30);
            List<ExportRecord> exports = records.listByJobInstance(instance);
            assertThat(exports).extracting(ExportRecord::clubId).containsExactlyElementsOf(clubs);
            for (ExportRecord export : exports) {
                assertSameAsExportJob(export, parameters);
            }
            ExportWorkbooks.assertNoTempFiles(storage.root());
        }

        @Test
        void aClubFailingInStep2IsTheOnlyWorkbookARestartRendersAgain() throws Exception {
            JobParameters parameters = chainParameters("Chain failing in step 2");
            long failing = scenario.clubId;

            faults.onlyClub(failing);
            faults.failWorkbookRow(13);
            JobExecution failed = jobOperator.start(chainExportJob, parameters);
            faults.reset();

            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            long instance = failed.getJobInstance().getInstanceId();
            assertThat(step(failed, "exportWorkbookStep:club-" + failing).getStatus()).isEqualTo(BatchStatus.FAILED);
            ExportRecord done = records.findByJobInstance(instance, clubs.get(1)).orElseThrow();
            assertThat(done.status()).isEqualTo(ExportStatus.COMPLETED);
            assertThat(records.findByJobInstance(instance, failing).orElseThrow().status())
                .isEqualTo(ExportStatus.FAILED);
            Path doneFile = storage.exportsDir().resolve(done.fileName());
            FileTime doneWritten = Files.getLastModifiedTime(doneFile);
            ExportWorkbooks.assertNoTempFiles(storage.root());

            JobExecution restarted = jobOperator.start(chainExportJob, parameters);

            assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(partitions(restarted)).containsExactlyInAnyOrder("chainExportWorkbookStep",
                    "exportWorkbookStep:club-" + failing);
            assertThat(Files.getLastModifiedTime(doneFile)).isEqualTo(doneWritten);
            assertThat(records.find(done.id()).orElseThrow()).isEqualTo(done);
            for (ExportRecord export : records.listByJobInstance(instance)) {
                assertSameAsExportJob(export, parameters);
            }
            ExportWorkbooks.assertNoTempFiles(storage.root());
        }

        @Test
        void refusesBeforeAnyJobInstanceExists() {
            long instancesBefore = jobInstances();
            String staff = scenario.data.user(2, "STAFF", false, scenario.clubId);
            String noClub = scenario.data.user(3, "ADMIN", false);

            assertThatThrownBy(() -> jobOperator.start(chainExportJob, chainParameters("x", "nobody" + clubs.get(0))))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining("Unknown user");
            assertThatThrownBy(() -> jobOperator.start(chainExportJob, chainParameters("x", staff)))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining("may not run a mass anonymisation");
            assertThatThrownBy(() -> jobOperator.start(chainExportJob, chainParameters("x", noClub)))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining("has no club");
            assertThatThrownBy(() -> jobOperator.start(chainExportJob, new JobParametersBuilder(chainParameters("x"))
                .addLong(ExportParameters.INACTIVITY_MONTHS, 13L)
                .toJobParameters())).isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining("inactivityMonths must be one of");
            assertThat(jobInstances()).isEqualTo(instancesBefore);
        }

        /**
         * The chain's export of a club against {@code exportJob} run alone on the same club and parameters: same
         * record figures, same manifest values, same workbook rows and identity (but for the export's own id).
         */
        private void assertSameAsExportJob(ExportRecord chained, JobParameters chainParameters) throws Exception {
            JobParameters alone = new JobParametersBuilder(chainParameters)
                .addLong(ExportParameters.CLUB_ID, chained.clubId())
                .addString(ExportParameters.EXPORT_NAME, chained.name() + " alone")
                .toJobParameters();
            JobExecution execution = jobOperator.start(exportJob, alone);
            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            ExportRecord reference = records.findByJobInstance(execution.getJobInstance().getInstanceId())
                .orElseThrow();

            assertThat(chained.status()).isEqualTo(ExportStatus.COMPLETED);
            assertThat(List.of(chained.asOf(), chained.cutoff(), chained.inactivityMonths(), chained.requestedBy(),
                    chained.membersScanned(), chained.membersEligible(), chained.rowCount(), chained.formatVersion()))
                .isEqualTo(List.of(reference.asOf(), reference.cutoff(), reference.inactivityMonths(),
                        reference.requestedBy(), reference.membersScanned(), reference.membersEligible(),
                        reference.rowCount(), reference.formatVersion()));
            assertThat(manifestRows(chained.id())).isEqualTo(manifestRows(reference.id()));
            assertThat(zipsOf(chained.id())).containsExactly(storage.exportsDir().resolve(chained.fileName()));

            List<Object> chainedIdentity = new ArrayList<>();
            List<Object> referenceIdentity = new ArrayList<>();
            for (ExportRecord export : List.of(chained, reference)) {
                ExportWorkbooks.ZipContent zip = ExportWorkbooks.unzip(storage.exportsDir().resolve(export.fileName()));
                assertThat(export.workbookChecksum()).isEqualTo(ExportWorkbooks.sha256(zip.workbook()));
                try (XSSFWorkbook workbook = ExportWorkbooks.open(zip.workbook())) {
                    ExportIdentity identity = ExportIdentity.fromProperties(
                            ExportWorkbooks.customProperties(workbook));
                    assertThat(identity.exportId()).isEqualTo(export.id());
                    assertThat(ExportWorkbooks.identitySheet(workbook)).isEqualTo(identity.toProperties());
                    List<Object> values = export == chained ? chainedIdentity : referenceIdentity;
                    values.add(ExportWorkbooks.membersValues(workbook));
                    values.addAll(List.of(identity.clubId(), identity.clubCode(), identity.asOf(), identity.cutoff(),
                            identity.inactivityMonths(), identity.rowCount(), identity.formatVersion()));
                }
            }
            assertThat(chainedIdentity).isEqualTo(referenceIdentity);
        }

        private JobParameters chainParameters(String name) {
            return chainParameters(name, scenario.admin);
        }

        private JobParameters chainParameters(String name, String user) {
            return new JobParametersBuilder()
                .addLong(ExportParameters.INACTIVITY_MONTHS, (long) ExportScenario.MONTHS)
                .addString(ExportParameters.EXPORT_NAME, name + " " + scenario.clubId)
                .addString(ExportParameters.REQUESTED_BY, user)
                .addLocalDate(ExportParameters.AS_OF, ExportScenario.AS_OF)
                .toJobParameters();
        }

        private static List<String> partitions(JobExecution execution) {
            return execution.getStepExecutions().stream().map(StepExecution::getStepName).toList();
        }

        private static StepExecution step(JobExecution execution, String name) {
            return ExportJobFunctionalTests.Contract.step(execution, name);
        }

        private double judged(long clubId) {
            return meterRegistry.find(EligibilityProcessor.METRIC).tag("club", Long.toString(clubId)).counters()
                .stream().mapToDouble(Counter::count).sum();
        }

        private long jobInstances() {
            return jdbc.queryForObject("select count(*) from batch_job_instance", Long.class);
        }

        /** The manifest's values (names included), in member id order. */
        private List<ExportedRow> manifestRows(long exportId) {
            return jdbc.query("select " + ExportManifest.ROW_COLUMNS
                    + " from anonymisation_export_member where export_id = ? order by member_id",
                    ExportManifest.ROW_MAPPER, exportId);
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
