package org.clubanonymiser.web.importing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.clubanonymiser.importing.ImportRefusal;
import org.clubanonymiser.support.UserAccess.AppUser;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The import list's and page's read model: each import with its club's code and its export's row count and state,
 * one statement for a whole list (the filters are the list's: status, export, club, creation dates), never a query per
 * import. Who may see which import is {@link Imports}'s decision; this only reads. Thread-safe.
 */
class ImportViews {

    private static final String SELECT = """
            select i.id, i.export_id, i.club_id, c.code as club_code, i.file_name, i.requested_by, i.restarted_by,
                i.dry_run, i.status, i.failure_code, i.rows_read, i.members_anonymised, i.rows_rejected,
                i.rows_already_anonymised, i.error_file,
                i.job_execution_id, i.created_at, i.completed_at, e.row_count, e.status as export_status,
                e.file_deleted_at as export_file_deleted_at
            from anonymisation_import i
                left join club c on c.id = i.club_id
                left join anonymisation_export e on e.id = i.export_id""";

    private static final Set<String> REFUSALS = Set.copyOf(
            Arrays.stream(ImportRefusal.values()).map(Enum::name).toList());

    private final NamedParameterJdbcTemplate jdbc;

    ImportViews(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the failure code is a refusal of the file by the gate (such an import is not restartable). */
    static boolean isRefusal(String failureCode) {
        return failureCode != null && REFUSALS.contains(failureCode);
    }

    /** The imports of the user's clubs, and their own of no known club yet, matching the filters, newest first. */
    List<ImportView> list(AppUser user, String status, Long exportId, Long clubId, LocalDate from, LocalDate to) {
        StringBuilder sql = new StringBuilder(SELECT).append(
                " where (i.club_id in (:clubs) or (i.club_id is null and i.requested_by = :user))");
        MapSqlParameterSource parameters = new MapSqlParameterSource("clubs", clubsOrNone(user))
            .addValue("user", user.username());
        if (status != null && !status.isBlank()) {
            sql.append(" and i.status = :status");
            parameters.addValue("status", status.strip());
        }
        if (exportId != null) {
            sql.append(" and i.export_id = :exportId");
            parameters.addValue("exportId", exportId);
        }
        if (clubId != null) {
            sql.append(" and i.club_id = :clubId");
            parameters.addValue("clubId", clubId);
        }
        if (from != null) {
            sql.append(" and i.created_at >= :from");
            parameters.addValue("from", Timestamp.valueOf(from.atStartOfDay()));
        }
        if (to != null) {
            sql.append(" and i.created_at < :to");
            parameters.addValue("to", Timestamp.valueOf(to.plusDays(1).atStartOfDay()));
        }
        sql.append(" order by i.created_at desc, i.id desc");
        return jdbc.query(sql.toString(), parameters, (rs, n) -> map(rs, null));
    }

    Optional<ImportView> find(long id, Map<String, Long> byCode) {
        return jdbc.query(SELECT + " where i.id = :id", new MapSqlParameterSource("id", id),
                (rs, n) -> map(rs, byCode)).stream().findFirst();
    }

    private ImportView map(ResultSet rs, Map<String, Long> byCode) throws SQLException {
        String status = rs.getString("status");
        String failureCode = rs.getString("failure_code");
        long rowsRead = rs.getLong("rows_read");
        long rowCount = rs.getLong("row_count");
        boolean knownRowCount = !rs.wasNull();
        Integer progress = status.startsWith("COMPLETED") ? Integer.valueOf(100)
                : knownRowCount && rowCount > 0 ? Integer.valueOf((int) Math.min(99, rowsRead * 100 / rowCount))
                : null;
        String errorFile = rs.getString("error_file");
        Timestamp completed = rs.getTimestamp("completed_at");
        // A corrected file can go to the same export while it can still be imported (the import's gate decides).
        boolean correctable = "COMPLETED_WITH_ERRORS".equals(status) && "COMPLETED".equals(rs.getString("export_status"))
                && rs.getTimestamp("export_file_deleted_at") == null;
        return new ImportView(rs.getLong("id"), (Long) rs.getObject("export_id", Long.class),
                (Long) rs.getObject("club_id", Long.class), rs.getString("club_code"), rs.getString("file_name"),
                rs.getString("requested_by"), rs.getString("restarted_by"), rs.getBoolean("dry_run"), status,
                failureCode, rowsRead, rs.getLong("members_anonymised"), rs.getLong("rows_rejected"),
                rs.getLong("rows_already_anonymised"), progress, errorFile != null,
                "FAILED".equals(status) && !isRefusal(failureCode),
                rs.getTimestamp("created_at").toLocalDateTime(), completed == null ? null : completed.toLocalDateTime(),
                byCode, correctable, null, (Long) rs.getObject("job_execution_id", Long.class));
    }

    private static List<Long> clubsOrNone(AppUser user) {
        // "in ()" is not SQL: a user without clubs matches no club id.
        return user.clubIds().isEmpty() ? List.of(-1L) : List.copyOf(user.clubIds());
    }
}
