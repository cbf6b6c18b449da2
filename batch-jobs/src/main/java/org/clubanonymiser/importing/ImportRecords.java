package org.clubanonymiser.importing;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.exportrecord.ExportRecordRows;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * The {@code anonymisation_import} record of each import job instance (one per instance, found again by its
 * {@code job_instance_id} on a restart), and the export records the gate judges. Counters are only ever incremented
 * in the chunk transactions that made them true, so they stay exact across restarts.
 */
class ImportRecords {

    /** An import record's status and counters. */
    record ImportRecord(long id, Long exportId, String status, String failureCode, long rowsRead,
            long membersAnonymised, long rowsRejected, long rowsAlreadyAnonymised, String errorFile,
            String requestedBy, boolean dryRun, String summary) {
    }

    private final JdbcTemplate jdbc;

    private final Clock clock;

    ImportRecords(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Creates the record of this job instance, or puts it back to RUNNING for a restart (counters kept). A record
     * already completed stays as it is: the instance only failed after its import had completed.
     */
    long startOrResume(long jobInstanceId, long jobExecutionId, String fileName, String fileChecksum,
            String requestedBy) {
        return startOrResume(jobInstanceId, jobExecutionId, fileName, fileChecksum, requestedBy, false);
    }

    /** As {@link #startOrResume(long, long, String, String, String)}, recording whether the import is a dry run. */
    long startOrResume(long jobInstanceId, long jobExecutionId, String fileName, String fileChecksum,
            String requestedBy, boolean dryRun) {
        List<Long> existing = jdbc.queryForList("select id from anonymisation_import where job_instance_id = ?",
                Long.class, jobInstanceId);
        if (!existing.isEmpty()) {
            long id = existing.get(0);
            jdbc.update("""
                    update anonymisation_import set status = 'RUNNING', failure_code = null, completed_at = null,
                        job_execution_id = ?
                    where id = ? and status not in ('COMPLETED', 'COMPLETED_WITH_ERRORS')""", jobExecutionId, id);
            return id;
        }
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var statement = connection.prepareStatement("""
                    insert into anonymisation_import (file_name, file_checksum, requested_by, dry_run, status,
                        rows_read, members_anonymised, rows_rejected, last_committed_row, job_execution_id,
                        job_instance_id, created_at)
                    values (?, ?, ?, ?, 'RUNNING', 0, 0, 0, 0, ?, ?, ?)""", new String[] { "id" });
            statement.setString(1, fileName);
            statement.setString(2, fileChecksum);
            statement.setString(3, requestedBy);
            statement.setBoolean(4, dryRun);
            statement.setLong(5, jobExecutionId);
            statement.setLong(6, jobInstanceId);
            statement.setTimestamp(7, now());
            return statement;
        }, keys);
        return keys.getKeyAs(Number.class).longValue();
    }

    boolean isCompleted(long importId) {
        return find(importId).map(record -> record.status().startsWith("COMPLETED")).orElse(false);
    }

    void attachExport(long importId, long exportId, long clubId) {
        jdbc.update("update anonymisation_import set export_id = ?, club_id = ? where id = ?", exportId, clubId,
                importId);
    }

    void refuse(long importId, ImportRefusal refusal) {
        jdbc.update("""
                update anonymisation_import set status = 'FAILED', failure_code = ?, completed_at = ?
                where id = ?""", refusal.name(), now(), importId);
    }

    /** Marks a running import FAILED (a crash or an infrastructure failure); a refusal already recorded stays. */
    void failIfRunning(long importId, String failureCode) {
        jdbc.update("""
                update anonymisation_import set status = 'FAILED', failure_code = ?, completed_at = ?
                where id = ? and status = 'RUNNING'""", failureCode, now(), importId);
    }

    /** @param summary the {@link ImportSummary} line, {@code null} when no row was rejected */
    void complete(long importId, boolean withErrors, String errorFile, String summary) {
        jdbc.update("""
                update anonymisation_import set status = ?, error_file = ?, completed_at = ?, summary = ?
                where id = ?""", withErrors ? "COMPLETED_WITH_ERRORS" : "COMPLETED", errorFile, now(), summary,
                importId);
    }

    /** The import's rejected rows per code (informational codes, not rejections, left out). */
    Map<String, Long> rejectedByCode(long importId) {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.query("""
                select code, count(*) as n from anonymisation_import_rejection
                where import_id = ? and code <> 'ALREADY_ANONYMISED' group by code""",
                rs -> {
                    counts.put(rs.getString("code"), rs.getLong("n"));
                }, importId);
        return counts;
    }

    void setErrorFile(long importId, String errorFile) {
        jdbc.update("update anonymisation_import set error_file = ? where id = ?", errorFile, importId);
    }

    /** Counts one rejected row (called in the chunk transaction that records it). */
    void countRejected(long importId, int rows) {
        jdbc.update("""
                update anonymisation_import set rows_read = rows_read + ?, rows_rejected = rows_rejected + ?
                where id = ?""", rows, rows, importId);
    }

    /**
     * Counts a written chunk: its rows, the members anonymised, the rows the writer rejected and the rows naming a
     * member anonymised already (informational: not rejected).
     */
    void countWritten(long importId, int rows, int anonymised, int rejected, int alreadyAnonymised) {
        jdbc.update("""
                update anonymisation_import set rows_read = rows_read + ?, members_anonymised = members_anonymised + ?,
                    rows_rejected = rows_rejected + ?, rows_already_anonymised = rows_already_anonymised + ?
                where id = ?""", rows, anonymised, rejected, alreadyAnonymised, importId);
    }

    /**
     * The spreadsheet row number of the last row whose chunk committed (0: none yet), read from the product
     * database: the anonymising step's restart position. Empty for a record created before the product kept it.
     */
    OptionalLong lastCommittedRow(long importId) {
        List<Long> rows = jdbc.query("select last_committed_row from anonymisation_import where id = ?",
                (rs, n) -> rs.getObject(1, Long.class), importId);
        return rows.isEmpty() || rows.get(0) == null ? OptionalLong.empty() : OptionalLong.of(rows.get(0));
    }

    /** Moves the restart position to {@code rowNumber}: called in the transaction of the chunk that ends there. */
    void commitRow(long importId, long rowNumber) {
        jdbc.update("update anonymisation_import set last_committed_row = ? where id = ?", rowNumber, importId);
    }

    Optional<ImportRecord> find(long importId) {
        return jdbc.query("""
                select id, export_id, status, failure_code, rows_read, members_anonymised, rows_rejected,
                    rows_already_anonymised, error_file, requested_by, dry_run, summary
                from anonymisation_import where id = ?""",
                (rs, n) -> new ImportRecord(rs.getLong("id"), (Long) rs.getObject("export_id", Long.class),
                        rs.getString("status"), rs.getString("failure_code"), rs.getLong("rows_read"),
                        rs.getLong("members_anonymised"), rs.getLong("rows_rejected"),
                        rs.getLong("rows_already_anonymised"), rs.getString("error_file"),
                        rs.getString("requested_by"), rs.getBoolean("dry_run"), rs.getString("summary")),
                importId).stream().findFirst();
    }

    Optional<ExportRecord> findExport(long exportId) {
        return ExportRecordRows.find(jdbc, exportId);
    }

    /** The rows the import's export wrote (its manifest's): what the anonymising step has to read at most. */
    long exportedRows(long importId) {
        Long rows = jdbc.queryForObject("""
                select e.row_count from anonymisation_import i join anonymisation_export e on e.id = i.export_id
                where i.id = ?""", Long.class, importId);
        return rows == null ? 0 : rows;
    }

    /** The context of the anonymising steps, from the import record and its accepted export. */
    ImportContext context(long importId) {
        return jdbc.queryForObject("""
                select i.id, i.requested_by, i.dry_run, e.id as export_id, e.club_id, e.as_of, e.inactivity_months,
                    e.cutoff
                from anonymisation_import i join anonymisation_export e on e.id = i.export_id
                where i.id = ?""",
                (rs, n) -> new ImportContext(rs.getLong("id"), rs.getLong("export_id"), rs.getLong("club_id"),
                        new InactivityPeriod(rs.getDate("as_of").toLocalDate(), rs.getInt("inactivity_months")),
                        rs.getDate("cutoff").toLocalDate(), rs.getString("requested_by"), rs.getBoolean("dry_run")),
                importId);
    }

    private Timestamp now() {
        return Timestamp.valueOf(LocalDateTime.now(clock));
    }
}
