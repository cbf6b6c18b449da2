package org.clubanonymiser.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.clubanonymiser.exportrecord.ExportProperties;
import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.exportrecord.ExportStatus;
import org.clubanonymiser.support.storage.StorageLayout;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The export services ({@link ExportRecords#list}, {@link ExportFiles}) and {@code exportPurgeJob}: listing with
 * filters, deletion, deletion after import, expiry. Each removes the file and erases the manifest's personal values
 * and fingerprints, keeping member ids. On H2 and PostgreSQL.
 */
class ExportPurgeJobFunctionalTests {

    @Import(ExportTestConfiguration.class)
    @TestPropertySource(properties = { ExportJobFunctionalTests.CHUNK_SIZE, ExportJobFunctionalTests.WINDOW })
    abstract static class Contract {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        JobOperator jobOperator;

        @Autowired
        Job exportJob;

        @Autowired
        Job exportPurgeJob;

        @Autowired
        StorageLayout storage;

        @Autowired
        ExportRecords records;

        @Autowired
        ExportFiles files;

        @Autowired
        ExportProperties properties;

        private ExportRecord export(ExportScenario scenario, String name) throws Exception {
            JobExecution execution = jobOperator.start(exportJob, scenario.parameters(name));
            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            return records.findByJobInstance(execution.getJobInstance().getInstanceId()).orElseThrow();
        }

        private void assertPurged(ExportRecord before, ExportStatus status) {
            ExportRecord after = records.find(before.id()).orElseThrow();
            assertThat(after.status()).isEqualTo(status);
            assertThat(after.fileDeletedAt()).isNotNull();
            assertThat(files.file(before.id())).isEmpty();
            assertThat(storage.exportsDir().resolve(before.fileName())).doesNotExist();
            List<Map<String, Object>> manifest = jdbc.queryForList(
                    "select * from anonymisation_export_member where export_id = ?", before.id());
            assertThat(manifest).hasSize(15).allSatisfy(row -> row.forEach((column, value) -> {
                if (!column.equalsIgnoreCase("export_id") && !column.equalsIgnoreCase("member_id")
                        && !column.equalsIgnoreCase("resolution")) {
                    assertThat(value).as(column).isNull();
                }
            }));
        }

        private void assertIntact(ExportRecord export) {
            assertThat(records.find(export.id()).orElseThrow().fileDeletedAt()).isNull();
            assertThat(files.file(export.id())).contains(storage.exportsDir().resolve(export.fileName()));
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_export_member where export_id = ?"
                    + " and fingerprint is not null and last_name is not null", Long.class, export.id()))
                .isEqualTo(15);
        }

        private void age(ExportRecord export, LocalDateTime createdAt) {
            jdbc.update("update anonymisation_export set created_at = ? where id = ?", Timestamp.valueOf(createdAt),
                    export.id());
        }

        @Test
        void listsExportsWithFilters() throws Exception {
            ExportScenario scenario = new ExportScenario(jdbc);
            ExportRecord spring = export(scenario, "Spring_100% clean-up");
            ExportRecord autumn = export(scenario, "Autumn review");
            age(autumn, LocalDateTime.of(2025, 10, 2, 9, 0));
            files.delete(autumn.id());

            assertThat(records.list(new ExportFilter(null, scenario.clubId, null, null, null)))
                .extracting(ExportRecord::id).containsExactly(spring.id(), autumn.id());
            assertThat(records.list(new ExportFilter("SPRING_100%", scenario.clubId, null, null, null)))
                .extracting(ExportRecord::id).containsExactly(spring.id());
            assertThat(records.list(new ExportFilter("RING_100% c", scenario.clubId, null, null, null)))
                .extracting(ExportRecord::id).containsExactly(spring.id());
            // % and _ are searched for literally, not as wildcards.
            assertThat(records.list(new ExportFilter("spring%clean", scenario.clubId, null, null, null))).isEmpty();
            assertThat(records.list(new ExportFilter("autumn_review", scenario.clubId, null, null, null))).isEmpty();
            assertThat(records.list(new ExportFilter(null, scenario.clubId, ExportStatus.DELETED, null, null)))
                .extracting(ExportRecord::id).containsExactly(autumn.id());
            assertThat(records.list(new ExportFilter(null, scenario.clubId, null, LocalDate.of(2025, 10, 1),
                    LocalDate.of(2025, 10, 2)))).extracting(ExportRecord::id).containsExactly(autumn.id());
            assertThat(records.list(new ExportFilter(null, scenario.clubId, null, LocalDate.of(2025, 10, 3), null)))
                .extracting(ExportRecord::id).containsExactly(spring.id());
            assertThat(records.list(new ExportFilter(null, scenario.otherClubId, null, null, null))).isEmpty();
            assertThat(records.list(ExportFilter.all())).extracting(ExportRecord::id)
                .contains(spring.id(), autumn.id());
        }

        @Test
        void deletingAnExportRemovesItsFileAndErasesItsManifestValues() throws Exception {
            ExportScenario scenario = new ExportScenario(jdbc);
            ExportRecord export = export(scenario, "To delete");
            assertIntact(export);

            ExportRecord deleted = files.delete(export.id());

            assertThat(deleted.status()).isEqualTo(ExportStatus.DELETED);
            assertPurged(export, ExportStatus.DELETED);
            assertThat(jdbc.queryForList("select member_id from anonymisation_export_member where export_id = ?"
                    + " order by member_id", Long.class, export.id())).isEqualTo(scenario.expectedIds());
            assertThatIllegalArgumentException().isThrownBy(() -> files.delete(-1L)).withMessage("No export -1");
        }

        @Test
        void aRunningExportCannotBeDeletedNorADeletedOneResumed() throws Exception {
            ExportScenario scenario = new ExportScenario(jdbc);
            ExportRecord export = export(scenario, "Running");
            jdbc.update("update anonymisation_export set status = 'RUNNING' where id = ?", export.id());
            assertThatIllegalStateException().isThrownBy(() -> files.delete(export.id()))
                .withMessageContaining("is running");

            jdbc.update("update anonymisation_export set status = 'FAILED' where id = ?", export.id());
            files.delete(export.id());
            assertThatIllegalStateException()
                .isThrownBy(() -> records.startOrResume(export.jobInstanceId(), 0,
                        ExportParameters.from(scenario.parameters("Running")), LocalDateTime.now()))
                .withMessageContaining("was deleted or has expired");
        }

        /** A completed import of the export, as the import job records it (no member touched). */
        private long completedImport(ExportRecord export) {
            jdbc.update("""
                    insert into anonymisation_import (export_id, club_id, file_name, file_checksum, requested_by,
                        status, created_at)
                    values (?, ?, 'reviewed.xlsx', ?, 'admin', 'COMPLETED_WITH_ERRORS', current_timestamp)""",
                    export.id(), export.clubId(), "0".repeat(64));
            return jdbc.queryForObject("select max(id) from anonymisation_import", Long.class);
        }

        private void reject(long importId, long memberId, String code) {
            jdbc.update("""
                    insert into anonymisation_import_rejection (import_id, row_number, member_id, member_number, code,
                        message)
                    values (?, ?, ?, null, ?, 'test')""", importId, memberId, memberId, code);
        }

        private List<Long> manifestIds(ExportRecord export) {
            return jdbc.queryForList("select member_id from anonymisation_export_member where export_id = ?"
                    + " order by member_id", Long.class, export.id());
        }

        @Test
        void anImportedExportLosesItsFileAndManifestValuesButKeepsItsStatus() throws Exception {
            ExportScenario scenario = new ExportScenario(jdbc);
            ExportRecord export = export(scenario, "Imported");
            long importId = completedImport(export);
            // Found no longer eligible by the import: resolved like the rows it never saw (kept).
            reject(importId, manifestIds(export).get(0), "NO_LONGER_ELIGIBLE");

            // Slices of 2 rows: the record says the file is gone only once the last slice is erased.
            long memberCount = manifestIds(export).size();
            assertThat(memberCount).isGreaterThan(2);
            List<OptionalLong> slices = new ArrayList<>();
            OptionalLong next = files.resolveAfterImport(export.id(), importId, OPENING, Long.MIN_VALUE, 2);
            slices.add(next);
            assertThat(records.find(export.id()).orElseThrow().fileDeletedAt()).isNull();
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_export_member where export_id = ?"
                    + " and last_name is null and fingerprint is null", Long.class, export.id())).isEqualTo(2);
            while (next.isPresent()) {
                next = files.resolveAfterImport(export.id(), importId, OPENING, next.getAsLong(), 2);
                slices.add(next);
            }
            assertThat(slices).hasSize((int) (memberCount + 2) / 2);
            // Again, as a restarted completion step would: nothing changes.
            assertThat(files.resolveAfterImport(export.id(), importId, OPENING, Long.MIN_VALUE, 1000)).isEmpty();

            assertPurged(export, ExportStatus.COMPLETED);
            assertThat(jdbc.queryForList("select resolution from anonymisation_export_member where export_id = ?"
                    + " order by member_id", String.class, export.id()))
                .first().isEqualTo("INELIGIBLE");
            assertThat(records.resolution(export.id())).hasValueSatisfying(resolution -> {
                assertThat(resolution.exported()).isEqualTo(memberCount);
                assertThat(resolution.kept()).isEqualTo(memberCount);
                assertThat(resolution.anonymised()).isZero();
                assertThat(resolution.open()).isZero();
                assertThat(resolution.resolvedAt()).isNotNull();
            });
        }

        /** The rejection codes an admin can correct, as the import passes them. */
        static final java.util.Set<String> OPENING = java.util.Set.of("CONTENT_MODIFIED", "MISSING_ID");

        /**
         * An import that left a row open (rejected for a correctable reason): that row keeps its values and the file
         * stays downloadable until the retention ends; then the purge job erases them like any expired export's.
         */
        @Test
        void rowsLeftOpenByAnImportKeepTheirValuesAndTheFileUntilTheExportExpires() throws Exception {
            ExportScenario scenario = new ExportScenario(jdbc);
            ExportRecord export = export(scenario, "Corrected later");
            long importId = completedImport(export);
            long open = manifestIds(export).get(1);
            reject(importId, open, "CONTENT_MODIFIED");

            assertThat(files.resolveAfterImport(export.id(), importId, OPENING, Long.MIN_VALUE, 1000)).isEmpty();

            assertThat(records.find(export.id()).orElseThrow().fileDeletedAt()).isNull();
            assertThat(files.file(export.id())).contains(storage.exportsDir().resolve(export.fileName()));
            assertThat(jdbc.queryForList("select member_id from anonymisation_export_member where export_id = ?"
                    + " and fingerprint is not null and last_name is not null", Long.class, export.id()))
                .containsExactly(open);
            assertThat(records.resolution(export.id())).hasValueSatisfying(resolution -> {
                assertThat(resolution.rejected()).isOne();
                assertThat(resolution.open()).isOne();
                assertThat(resolution.kept()).isEqualTo(resolution.exported() - 1);
                assertThat(resolution.resolvedAt()).isNull();
            });

            LocalDateTime asOf = LocalDateTime.of(2031, 6, 16, 3, 0);
            age(export, asOf.minus(properties.retention()).minusMinutes(1));
            JobExecution purge = jobOperator.start(exportPurgeJob,
                    new JobParametersBuilder().addString("asOf", asOf.toString()).toJobParameters());

            assertThat(purge.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertPurged(export, ExportStatus.COMPLETED);
            assertThat(records.resolution(export.id()).orElseThrow().resolvedAt()).as("expired, not resolved")
                .isNull();
        }

        @Test
        void exportsOlderThanTheRetentionArePurgedByTheJob() throws Exception {
            ExportScenario scenario = new ExportScenario(jdbc);
            LocalDateTime asOf = LocalDateTime.of(2031, 6, 15, 3, 0);
            ExportRecord expired = export(scenario, "Expired");
            ExportRecord recent = export(scenario, "Recent");
            age(expired, asOf.minus(properties.retention()).minusMinutes(1));
            age(recent, asOf.minus(properties.retention()).plusMinutes(1));
            // Other classes' exports share the database: count exactly the files this run deletes, whoever made them.
            List<Long> filesBefore = jdbc.queryForList(
                    "select id from anonymisation_export where file_deleted_at is null", Long.class);

            JobExecution execution = jobOperator.start(exportPurgeJob,
                    new JobParametersBuilder().addString("asOf", asOf.toString()).toJobParameters());

            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertPurged(expired, ExportStatus.COMPLETED);
            assertIntact(recent);
            List<Long> purged = new java.util.ArrayList<>(filesBefore);
            purged.removeAll(jdbc.queryForList("select id from anonymisation_export where file_deleted_at is null",
                    Long.class));
            assertThat(purged).contains(expired.id()).doesNotContain(recent.id());
            assertThat(execution.getStepExecutions().iterator().next().getWriteCount()).isEqualTo(purged.size());
            Path recentFile = storage.exportsDir().resolve(recent.fileName());
            assertThat(recentFile).isRegularFile();
        }

        @Test
        void theUploadsOfFailedImportsOlderThanTheRetentionArePurgedByTheJob() throws Exception {
            LocalDateTime asOf = LocalDateTime.of(2032, 6, 15, 3, 0);
            Path oldFailed = failedImport("FAILED", asOf.minus(properties.retention()).minusMinutes(1));
            Path recentFailed = failedImport("FAILED", asOf.minus(properties.retention()).plusMinutes(1));
            Path oldRunning = failedImport("RUNNING", asOf.minus(properties.retention()).minusMinutes(1));
            // Created owner-only, in the call that creates it (never world-readable, even for an instant).
            assertThat(Files.getPosixFilePermissions(oldFailed)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            JobExecution execution = jobOperator.start(exportPurgeJob,
                    new JobParametersBuilder().addString("asOf", asOf.toString()).toJobParameters());

            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(oldFailed).doesNotExist();
            assertThat(recentFailed).isRegularFile();
            assertThat(oldRunning).isRegularFile();
            // Run again: nothing left to delete, nothing fails.
            assertThat(jobOperator.start(exportPurgeJob, new JobParametersBuilder()
                .addString("asOf", asOf.plusSeconds(1).toString()).toJobParameters()).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);
            assertThat(recentFailed).isRegularFile();
        }

        private Path failedImport(String status, LocalDateTime createdAt) throws Exception {
            Path upload = storage.newUpload();
            Files.write(upload, new byte[] { 1, 2, 3 });
            jdbc.update("""
                    insert into anonymisation_import (file_name, file_checksum, requested_by, dry_run, status,
                        created_at)
                    values (?, 'c', 'admin', false, ?, ?)""", upload.getFileName().toString(), status,
                    Timestamp.valueOf(createdAt));
            return upload;
        }

        @Test
        void thePurgeJobNeedsNoParameterAndRunsAgainAndAgain() throws Exception {
            JobExecution first = jobOperator.start(exportPurgeJob, new JobParameters());
            assertThat(first.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(first.getJobParameters().getLocalDateTime("asOf")).isNotNull();

            JobExecution second = jobOperator.start(exportPurgeJob, new JobParameters());

            assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(second.getJobInstance().getInstanceId()).isNotEqualTo(first.getJobInstance().getInstanceId());
        }

        @Test
        void thePurgeJobRefusesAMalformedDate() {
            long instances = jdbc.queryForObject("select count(*) from batch_job_instance", Long.class);
            assertThatExceptionOfType(InvalidJobParametersException.class)
                .isThrownBy(() -> jobOperator.start(exportPurgeJob,
                        new JobParametersBuilder().addString("asOf", "yesterday").toJobParameters()))
                .withMessageContaining("asOf must be a date");
            assertThat(jdbc.queryForObject("select count(*) from batch_job_instance", Long.class))
                .isEqualTo(instances);
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
