package org.clubanonymiser.export;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.exportrecord.ExportRecordRows;
import org.clubanonymiser.exportrecord.ExportStatus;
import org.clubanonymiser.support.workbook.MembersSheet;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The export records ({@code anonymisation_export}): created once per job instance, progress, outcome, listing. Each
 * method is one or two statements that join the caller's transaction when there is one (the progress updates run in
 * the chunk's transaction, so a rolled-back chunk rolls its progress back too). Thread-safe.
 */
public class ExportRecords {

    private static final String ORDER = " order by e.created_at desc, e.id desc";

    /**
     * Where the rows of an export stand ({@link ExportResolution}), from its manifest's {@code resolution}: each count
     * a range of the manifest's primary key (export id first), in the statement of the export's own row, so that a
     * list of exports is one statement. Open = neither anonymised nor kept (not resolved yet, or rejected).
     */
    private static final String RESOLUTION_COLUMNS = """
            (select count(*) from anonymisation_export_member em where em.export_id = e.id) as exported,
                (select count(*) from anonymisation_export_member em where em.export_id = e.id
                    and em.resolution = 'ANONYMISED') as anonymised,
                (select count(*) from anonymisation_export_member em where em.export_id = e.id
                    and em.resolution in ('KEPT', 'INELIGIBLE')) as kept,
                (select count(*) from anonymisation_export_member em where em.export_id = e.id
                    and em.resolution = 'REJECTED') as rejected""";

    private final JdbcTemplate jdbc;

    public ExportRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The members of the export's club: what its manifest step judges, one by one (the web's progress of a running
     * export too). An index-only count on {@code member (club_id, id)}.
     */
    public long clubMembers(long exportId) {
        Long count = jdbc.queryForObject(
                "select count(*) from member where club_id = (select club_id from anonymisation_export where id = ?)",
                Long.class, exportId);
        return count == null ? 0 : count;
    }

    public Optional<ExportRecord> find(long exportId) {
        return ExportRecordRows.find(jdbc, exportId);
    }

    /** The export of an {@code exportJob} instance (one club per instance). */
    public Optional<ExportRecord> findByJobInstance(long jobInstanceId) {
        return jdbc.query(ExportRecordRows.SELECT + " where e.job_instance_id = ? order by e.id", ExportRecordRows::map, jobInstanceId)
            .stream()
            .findFirst();
    }

    /** The export of this club under a job instance ({@code chainExportJob} records one per club). */
    public Optional<ExportRecord> findByJobInstance(long jobInstanceId, long clubId) {
        return jdbc.query(ExportRecordRows.SELECT + " where e.job_instance_id = ? and e.club_id = ?", ExportRecordRows::map,
                jobInstanceId, clubId).stream().findFirst();
    }

    /** Every export recorded under a job instance, by club id. */
    public List<ExportRecord> listByJobInstance(long jobInstanceId) {
        return jdbc.query(ExportRecordRows.SELECT + " where e.job_instance_id = ? order by e.club_id", ExportRecordRows::map,
                jobInstanceId);
    }

    /** Exports matching the filter, newest first. */
    public List<ExportRecord> list(ExportFilter filter) {
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        return jdbc.query(ExportRecordRows.SELECT + where + ORDER, ExportRecordRows::map, args.toArray());
    }

    /**
     * As {@link #list(ExportFilter)}, each export with its {@link ExportResolution}: one statement for the whole list,
     * never a query per export.
     */
    public List<ReviewedExport> listReviewed(ExportFilter filter) {
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        return jdbc.query(ExportRecordRows.COLUMNS + ", " + RESOLUTION_COLUMNS + ExportRecordRows.FROM + where + ORDER, ExportRecords::mapReviewed,
                args.toArray());
    }

    /** One export with its {@link ExportResolution}. */
    public Optional<ReviewedExport> findReviewed(long exportId) {
        return jdbc.query(ExportRecordRows.COLUMNS + ", " + RESOLUTION_COLUMNS + ExportRecordRows.FROM + " where e.id = ?", ExportRecords::mapReviewed,
                exportId).stream().findFirst();
    }

    private static String where(ExportFilter filter, List<Object> args) {
        StringBuilder sql = new StringBuilder(" where 1 = 1");
        if (filter.nameContains() != null && !filter.nameContains().isBlank()) {
            sql.append(" and lower(e.name) like ? escape '\\'");
            args.add("%" + escapeLike(filter.nameContains().strip().toLowerCase(Locale.ROOT)) + "%");
        }
        if (filter.clubId() != null) {
            sql.append(" and e.club_id = ?");
            args.add(filter.clubId());
        }
        if (filter.status() != null) {
            sql.append(" and e.status = ?");
            args.add(filter.status().name());
        }
        if (filter.createdFrom() != null) {
            sql.append(" and e.created_at >= ?");
            args.add(Timestamp.valueOf(filter.createdFrom().atStartOfDay()));
        }
        if (filter.createdTo() != null) {
            sql.append(" and e.created_at < ?");
            args.add(Timestamp.valueOf(filter.createdTo().plusDays(1).atStartOfDay()));
        }
        return sql.toString();
    }

    /**
     * The record of this job instance and club: created on its first execution (with {@code asOf} defaulting to
     * that execution's date), marked RUNNING again by a restart, which keeps the recorded {@code asOf}. A COMPLETED
     * record is left as it is (a chain export's restart resumes only its unfinished clubs).
     *
     * @throws IllegalStateException when the export was deleted or its retention ended (its manifest is erased:
     *                               there is nothing left to resume; launch a new export)
     */
    public ExportRecord startOrResume(long jobInstanceId, long jobExecutionId, ExportParameters parameters,
            LocalDateTime now) {
        Optional<ExportRecord> existing = findByJobInstance(jobInstanceId, parameters.clubId());
        if (existing.isPresent()) {
            ExportRecord export = existing.get();
            if (export.status() == ExportStatus.COMPLETED) {
                return export;
            }
            if (export.status() == ExportStatus.DELETED || export.fileDeletedAt() != null) {
                throw new IllegalStateException("Export " + export.id() + " was deleted or has expired: it cannot"
                        + " be resumed. Launch a new export (with another exportName).");
            }
            jdbc.update("update anonymisation_export set status = ?, job_execution_id = ? where id = ?",
                    ExportStatus.RUNNING.name(), jobExecutionId, export.id());
            return find(export.id()).orElseThrow();
        }
        LocalDate asOf = parameters.asOf() != null ? parameters.asOf() : now.toLocalDate();
        InactivityPeriod period = new InactivityPeriod(asOf, parameters.inactivityMonths());
        jdbc.update("""
                insert into anonymisation_export (name, club_id, inactivity_months, as_of, cutoff, requested_by,
                    status, members_scanned, members_eligible, format_version, job_instance_id, job_execution_id,
                    created_at)
                values (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?)""", parameters.exportName(), parameters.clubId(),
                parameters.inactivityMonths(), asOf, period.cutoff(), parameters.requestedBy(),
                ExportStatus.RUNNING.name(), MembersSheet.FORMAT_VERSION, jobInstanceId, jobExecutionId,
                Timestamp.valueOf(now));
        return findByJobInstance(jobInstanceId, parameters.clubId()).orElseThrow();
    }

    /**
     * Adds a chunk's members to {@code members_scanned} and moves the manifest step's restart position to its last
     * member, in the chunk's transaction.
     */
    void addScanned(long exportId, long members, long lastMemberId) {
        jdbc.update("""
                update anonymisation_export set members_scanned = members_scanned + ?, last_scanned_member_id = ?
                where id = ?""", members, lastMemberId, exportId);
    }

    /**
     * The manifest step's position as committed in the product database: the members scanned by its committed chunks
     * and the id of the last one ({@code null} until a chunk commits).
     */
    record ScanPosition(long membersScanned, Long lastMemberId) {
    }

    ScanPosition scanPosition(long exportId) {
        return jdbc.queryForObject(
                "select members_scanned, last_scanned_member_id from anonymisation_export where id = ?",
                (rs, n) -> new ScanPosition(rs.getLong(1), rs.getObject(2, Long.class)), exportId);
    }

    void addEligible(long exportId, long members) {
        jdbc.update("update anonymisation_export set members_eligible = members_eligible + ? where id = ?", members,
                exportId);
    }

    void completed(long exportId, String fileName, String fileChecksum, String workbookChecksum, long rowCount,
            LocalDateTime now) {
        jdbc.update("""
                update anonymisation_export set status = ?, file_name = ?, file_checksum = ?, workbook_checksum = ?,
                    row_count = ?, completed_at = ?
                where id = ?""", ExportStatus.COMPLETED.name(), fileName, fileChecksum, workbookChecksum, rowCount,
                Timestamp.valueOf(now), exportId);
    }

    /** Marks a running export FAILED (a COMPLETED or DELETED one is left alone). */
    public void failed(long exportId) {
        jdbc.update("update anonymisation_export set status = ? where id = ? and status = ?",
                ExportStatus.FAILED.name(), exportId, ExportStatus.RUNNING.name());
    }

    void fileDeleted(long exportId, ExportStatus status, LocalDateTime now) {
        jdbc.update("update anonymisation_export set status = ?, file_deleted_at = ? where id = ?", status.name(),
                Timestamp.valueOf(now), exportId);
    }

    /** Records that imports resolved every row of the export (the first time only). */
    void resolved(long exportId, LocalDateTime now) {
        jdbc.update("update anonymisation_export set resolved_at = coalesce(resolved_at, ?) where id = ?",
                Timestamp.valueOf(now), exportId);
    }

    /**
     * Where the rows of an export stand after its imports (nothing personal): what the export list shows per export.
     * Each exported row is anonymised, kept (resolved without anonymisation: deleted from the imported file, or found
     * no longer eligible), rejected (an import rejected it for a reason the admin can correct: still open) or not
     * imported yet (open too).
     */
    public Optional<ExportResolution> resolution(long exportId) {
        return jdbc.query("select e.resolved_at, " + RESOLUTION_COLUMNS + " from anonymisation_export e where e.id = ?",
                (rs, n) -> mapResolution(rs), exportId).stream().findFirst();
    }

    /** Exports created before {@code createdBefore} whose file and manifest values still exist (and not running). */
    List<ExportRecord> expired(LocalDateTime createdBefore) {
        return jdbc.query(ExportRecordRows.SELECT + " where e.created_at < ? and e.file_deleted_at is null and e.status <> ?"
                + " and e.status <> ? order by e.id", ExportRecordRows::map, Timestamp.valueOf(createdBefore),
                ExportStatus.RUNNING.name(), ExportStatus.DELETED.name());
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static ReviewedExport mapReviewed(ResultSet rs, int row) throws SQLException {
        return new ReviewedExport(ExportRecordRows.map(rs, row), mapResolution(rs));
    }

    private static ExportResolution mapResolution(ResultSet rs) throws SQLException {
        long exported = rs.getLong("exported");
        long anonymised = rs.getLong("anonymised");
        long kept = rs.getLong("kept");
        return new ExportResolution(exported, anonymised, kept, rs.getLong("rejected"), exported - anonymised - kept,
                ExportRecordRows.dateTime(rs, "resolved_at"));
    }
}
