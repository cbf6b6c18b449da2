package org.clubanonymiser.export;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.OptionalLong;
import java.util.Set;

import org.clubanonymiser.support.database.ResidueMarkers;
import org.clubanonymiser.support.database.KeySlices;
import org.clubanonymiser.support.workbook.ExportedRow;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * An export's manifest ({@code anonymisation_export_member}): one row per exported member, holding the values the
 * workbook shows (it is rendered from them) and their {@link org.clubanonymiser.support.workbook.RowFingerprint}.
 * Each completed import resolves the rows it can ({@link #resolveAfter}) and erases their values and fingerprints;
 * rows it rejected for a correctable reason stay open with their values until a later import resolves them or the
 * export's file goes (deletion, retention: {@link #eraseValues}). Only the member ids remain. Thread-safe.
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

    /** Every personal value of a manifest row, and its fingerprint, set to null. */
    private static final String ERASED_VALUES = """
            member_number = null, last_name = null, first_name = null, status = null, last_activity = null,
                last_activity_kind = null, months_inactive = null, fingerprint = null""";

    private static final String ERASE = "update anonymisation_export_member set " + ERASED_VALUES
            + " where export_id = ?";

    /** Erases every personal value (and fingerprint, a hash of names being personal data too); keeps member ids. */
    public int eraseValues(long exportId) {
        int erased = jdbc.update(ERASE, exportId);
        if (erased > 0) {
            // The erased values may stay in the database's files until the maintenance step.
            ResidueMarkers.record(jdbc, ResidueMarkers.Source.EXPORT, exportId, Timestamp.valueOf(LocalDateTime.now()));
        }
        return erased;
    }

    /** Manifest rows no completed import resolved yet (never imported, or rejected for a correctable reason). */
    static final String OPEN = "(resolution is null or resolution = 'REJECTED')";

    /**
     * Resolves the open rows of the next {@code limit} members (at most) after {@code afterMemberId} from the outcome
     * of a completed import, then erases the values of the rows resolved: {@code ANONYMISED} when the member is
     * anonymised (by this import or any other), {@code REJECTED} (still open, values kept) when the import rejected
     * the member's row with one of {@code openingCodes} (a row without member id is matched by its member number),
     * {@code INELIGIBLE} when it found the member no longer eligible, else {@code KEPT} (no row of the import named
     * the member). Rows resolved before are left alone, so running a slice twice changes nothing.
     *
     * @return the last member id of the slice, to continue after; empty once the slice reached the end
     */
    OptionalLong resolveAfter(long exportId, long importId, Set<String> openingCodes, long afterMemberId,
            int limit) {
        OptionalLong end = KeySlices.end(jdbc, "anonymisation_export_member", "export_id", exportId, "member_id",
                afterMemberId, limit);
        String range = end.isPresent() ? " and member_id > ? and member_id <= ?" : " and member_id > ?";
        Object[] bounds = end.isPresent() ? new Object[] { afterMemberId, end.getAsLong() }
                : new Object[] { afterMemberId };
        // The codes are enum names, never input: inlined so that the statement stays one portable string.
        String codes = openingCodes.stream().sorted().map(code -> "'" + code.replace("'", "") + "'")
            .reduce((a, b) -> a + ", " + b).orElse("''");
        String anonymised = "exists (select 1 from member m where m.id = em.member_id and m.anonymised_at is not null)";
        String rejected = """
                (exists (select 1 from anonymisation_import_rejection r where r.import_id = ?
                        and r.member_id = em.member_id and r.code in (%1$s))
                    or exists (select 1 from anonymisation_import_rejection r where r.import_id = ?
                        and r.member_id is null and r.member_number = em.member_number and r.code in (%1$s)))"""
            .formatted(codes);
        String slice = "em.export_id = ? and " + OPEN.replace("resolution", "em.resolution")
                + range.replace("member_id", "em.member_id");
        // Each open row is written once: the rows that stay open first (few), then every other one resolved and erased
        // in the same UPDATE (a resolution, then an erasure, wrote each of them twice: measured, the completion of a
        // 1M-member import took 18.6 s of its 20.9 s resolving the manifest).
        jdbc.update("update anonymisation_export_member em set resolution = 'REJECTED' where " + slice + " and not "
                + anonymised + " and " + rejected, concat(new Object[] { exportId }, bounds, importId, importId));
        jdbc.update("""
                update anonymisation_export_member em set resolution = case
                    when %s then 'ANONYMISED'
                    when exists (select 1 from anonymisation_import_rejection r where r.import_id = ?
                            and r.member_id = em.member_id and r.code = 'NO_LONGER_ELIGIBLE')
                        then 'INELIGIBLE'
                    else 'KEPT' end,
                    %s
                where\s""".formatted(anonymised, ERASED_VALUES) + slice + " and (" + anonymised + " or not "
                + rejected + ")", concat(new Object[] { importId, exportId }, bounds, importId, importId));
        return end;
    }

    /** The rows of the export still open: none means every exported member is resolved. */
    long countOpen(long exportId) {
        Long count = jdbc.queryForObject(
                "select count(*) from anonymisation_export_member where export_id = ? and " + OPEN, Long.class,
                exportId);
        return count == null ? 0 : count;
    }

    private static Object[] concat(Object[] first, Object[] second, Object... rest) {
        Object[] all = java.util.Arrays.copyOf(first, first.length + second.length + rest.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        System.arraycopy(rest, 0, all, first.length + second.length, rest.length);
        return all;
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
