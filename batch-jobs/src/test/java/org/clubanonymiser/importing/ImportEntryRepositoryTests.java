package org.clubanonymiser.importing;

import java.sql.Timestamp;
import java.time.LocalDateTime;

import org.clubanonymiser.importing.ImportEntryRepository.RejectionCount;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The import records' repository against the migrated schema on each database: rows inserted with SQL (as the job
 * writes them) read back, the rejections counted per code, a restart recorded in the row.
 */
class ImportEntryRepositoryTests {

    abstract static class Rows {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        ImportEntryRepository entries;

        @BeforeEach
        void rows() {
            removeRows();
            insert(9301, 71, 81, "FAILED", "SKIP_LIMIT", "errors-9301.xlsx");
            insert(9302, 72, 82, "RUNNING", null, null);
            reject(9301, 2, "B");
            reject(9301, 3, "A");
            reject(9301, 5, "B");
            reject(9301, 7, "ALREADY_ANONYMISED");
        }

        /** The test database is shared: other classes wipe it table by table and must not meet these rows. */
        @AfterEach
        void removeRows() {
            jdbc.update("delete from anonymisation_import_rejection where import_id in (9301, 9302)");
            jdbc.update("delete from anonymisation_import where id in (9301, 9302)");
        }

        private void insert(long id, long instance, long execution, String status, String failureCode, String errorFile) {
            jdbc.update("""
                    insert into anonymisation_import (id, file_name, file_checksum, requested_by, dry_run, status,
                        failure_code, error_file, job_instance_id, job_execution_id, created_at)
                    values (?, 'upload.xlsx', 'c0ffee', 'ie.user', ?, ?, ?, ?, ?, ?, ?)""", id, false, status,
                    failureCode, errorFile, instance, execution,
                    Timestamp.valueOf(LocalDateTime.of(2026, 3, 1, 9, 0)));
        }

        private void reject(long importId, long row, String code) {
            jdbc.update("""
                    insert into anonymisation_import_rejection (import_id, row_number, code, message)
                    values (?, ?, ?, 'why')""", importId, row, code);
        }

        @Test
        void readsAnImportRecord() {
            assertThat(entries.findById(9301)).contains(
                    new ImportEntry(9301, 71L, 81L, "FAILED", "SKIP_LIMIT", "errors-9301.xlsx", "ie.user", null));
            assertThat(entries.findById(9302)).hasValueSatisfying(entry -> {
                assertThat(entry.errorFile()).isNull();
                assertThat(entry.failureCode()).isNull();
            });
            assertThat(entries.findById(9399)).isEmpty();
        }

        @Test
        void findsTheRecordOfAnExecution() {
            assertThat(entries.findByJobInstanceIdAndJobExecutionId(72, 82)).map(ImportEntry::id).contains(9302L);
            assertThat(entries.findByJobInstanceIdAndJobExecutionId(71, 81)).map(ImportEntry::id).contains(9301L);
            assertThat(entries.findByJobInstanceIdAndJobExecutionId(71, 82)).isEmpty();
        }

        @Test
        void countsTheRejectionsPerCodeInCodeOrder() {
            assertThat(entries.countRejectionsByCode(9301)).containsExactly(new RejectionCount("A", 1),
                    new RejectionCount("ALREADY_ANONYMISED", 1), new RejectionCount("B", 2));
            assertThat(entries.countRejectionsByCode(9302)).isEmpty();
        }

        @Test
        void recordsARestart() {
            entries.recordRestart(9301, "ie.other");

            assertThat(entries.findById(9301)).map(ImportEntry::restartedBy).contains("ie.other");
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_import where id = 9301"
                    + " and restarted_at is not null", Long.class)).isEqualTo(1);
            assertThat(entries.findById(9302)).map(ImportEntry::restartedBy).isEmpty();
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Rows {
    }

    @Nested
    @OracleModeDatabase
    class OnOracleMode extends Rows {
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Rows {
    }
}
