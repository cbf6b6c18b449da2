package org.clubanonymiser.export;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.OptionalLong;

import org.clubanonymiser.support.KeySlices;
import org.clubanonymiser.support.workbook.ExportedRow;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * An export's manifest ({@code anonymisation_export_member}): one row per exported member, holding the values the
 * workbook shows (it is rendered from them) and their {@link org.clubanonymiser.support.workbook.RowFingerprint}.
 * When the export's file goes (import completed, deletion, retention), the values and fingerprints are erased and
 * only the member ids remain. Thread-safe.
 */
public class ExportManifest {

    /** Columns read back as an {@link ExportedRow} by {@link #ROW_MAPPER}. */
    static final String ROW_COLUMNS = "member_id, member_number, last_name, first_name, status, last_activity,"
            + " last_activity_kind, months_inactive";

    static final RowMapper<ExportedRow> ROW_MAPPER = ExportManifest::mapRow;

    private final JdbcTemplate jdbc;

    public ExportManifest(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public long count(long exportId) {
        Long count = jdbc.queryForObject("select count(*) from anonymisation_export_member where export_id = ?",
                Long.class, exportId);
        return count == null ? 0 : count;
    }

    private static final String ERASE = """
            update anonymisation_export_member set member_number = null, last_name = null, first_name = null,
                status = null, last_activity = null, last_activity_kind = null, months_inactive = null,
                fingerprint = null
            where export_id = ?""";

    /** Erases every personal value (and fingerprint, a hash of names being personal data too); keeps member ids. */
    public int eraseValues(long exportId) {
        return jdbc.update(ERASE, exportId);
    }

    /**
     * Erases the values of the next {@code limit} rows (at most) after member {@code afterMemberId}, in member id
     * order: a large manifest is erased in slices, each in its own transaction, so that no transaction holds the undo
     * of a whole manifest (H2 keeps it on the heap).
     *
     * @return the last member id of the slice, to continue after; empty once the slice reached the end
     */
    OptionalLong eraseValuesAfter(long exportId, long afterMemberId, int limit) {
        OptionalLong end = KeySlices.end(jdbc, "anonymisation_export_member", "export_id", exportId, "member_id",
                afterMemberId, limit);
        if (end.isPresent()) {
            jdbc.update(ERASE + " and member_id > ? and member_id <= ?", exportId, afterMemberId, end.getAsLong());
        }
        else {
            jdbc.update(ERASE + " and member_id > ?", exportId, afterMemberId);
        }
        return end;
    }

    /**
     * Removes the manifest rows of a member id range: a chunk clears its own range before inserting, so that a
     * chunk written twice (whatever the reason) never duplicates a member.
     */
    void deleteRange(long exportId, long firstMemberId, long lastMemberId) {
        jdbc.update("delete from anonymisation_export_member where export_id = ? and member_id between ? and ?",
                exportId, firstMemberId, lastMemberId);
    }

    private static ExportedRow mapRow(ResultSet rs, int row) throws SQLException {
        int months = rs.getInt("months_inactive");
        return new ExportedRow(rs.getLong("member_id"), rs.getString("member_number"), rs.getString("last_name"),
                rs.getString("first_name"), rs.getString("status"), rs.getObject("last_activity", LocalDate.class),
                rs.getString("last_activity_kind"), months);
    }
}
