package org.clubanonymiser.exportrecord;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcOperations;

/**
 * The one query and row mapping of an {@link ExportRecord}: the export feature lists and updates its records with it,
 * the import's gate judges an uploaded workbook's export with it, so both read the same columns the same way.
 */
public final class ExportRecordRows {

    /** The record's columns, the table aliased {@code e}, its club {@code c}. */
    public static final String COLUMNS = """
            select e.id, e.name, e.club_id, c.code as club_code, e.inactivity_months, e.as_of, e.cutoff,
                e.requested_by, e.status, e.members_scanned, e.members_eligible, e.row_count, e.file_name,
                e.file_checksum, e.workbook_checksum, e.format_version, e.job_instance_id, e.job_execution_id,
                e.created_at, e.completed_at, e.file_deleted_at, e.resolved_at""";

    public static final String FROM = " from anonymisation_export e join club c on c.id = e.club_id";

    /** {@link #COLUMNS} {@link #FROM}: append a {@code where} on {@code e.}. */
    public static final String SELECT = COLUMNS + FROM;

    private ExportRecordRows() {
    }

    /** One export record, in the caller's transaction when there is one. */
    public static Optional<ExportRecord> find(JdbcOperations jdbc, long exportId) {
        return jdbc.query(SELECT + " where e.id = ?", ExportRecordRows::map, exportId).stream().findFirst();
    }

    public static ExportRecord map(ResultSet rs, int row) throws SQLException {
        return new ExportRecord(rs.getLong("id"), rs.getString("name"), rs.getLong("club_id"),
                rs.getString("club_code"), rs.getInt("inactivity_months"), rs.getObject("as_of", LocalDate.class),
                rs.getObject("cutoff", LocalDate.class), rs.getString("requested_by"),
                ExportStatus.valueOf(rs.getString("status")), rs.getLong("members_scanned"),
                rs.getLong("members_eligible"), nullableLong(rs, "row_count"), rs.getString("file_name"),
                rs.getString("file_checksum"), rs.getString("workbook_checksum"), rs.getInt("format_version"),
                nullableLong(rs, "job_instance_id"), nullableLong(rs, "job_execution_id"),
                dateTime(rs, "created_at"), dateTime(rs, "completed_at"), dateTime(rs, "file_deleted_at"),
                dateTime(rs, "resolved_at"));
    }

    /** A nullable timestamp column as a local date-time (the product stores local times). */
    public static LocalDateTime dateTime(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toLocalDateTime();
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
