package org.clubanonymiser.importing;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.clubanonymiser.eligibility.EligibilitySql;
import org.clubanonymiser.eligibility.MemberActivity;
import org.clubanonymiser.support.workbook.ExportedRow;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link RowValidator.Facts} from the database, row by row (what {@link ChunkFacts} falls back to, and what the writer
 * asks about a member it kept): two primary-key lookups per row, the claim, then the member with its activity and
 * manifest entry (one index seek per table). Runs in the chunk transaction, so it sees the chunk's own claims.
 * Thread-safe.
 */
class JdbcRowFacts implements RowValidator.Facts {

    private static final String MEMBER_SQL = memberSql("m.id = ?", "?", "?");

    /**
     * The member facts (and claimed row) of the members {@code where} selects, for an import and an export given as
     * parameter markers (bound in that order). The claim is a correlated subquery on a primary key: one index probe
     * per member whatever the planner knows of the tables' sizes (the claims table grows during the import,
     * unanalysed; an IN list over it would be scanned whole for every chunk).
     */
    static String memberSql(String where, String exportId, String importId) {
        return "select m.club_id,"
                + " case when em.member_id is null then 0 else 1 end as in_export, em.fingerprint,"
                + " em.member_number as em_member_number, em.last_name as em_last_name,"
                + " em.first_name as em_first_name, em.status as em_status, em.last_activity as em_last_activity,"
                + " em.last_activity_kind as em_last_activity_kind, em.months_inactive as em_months_inactive,"
                + " (select c.row_number from anonymisation_import_claim c where c.import_id = " + importId
                + " and c.member_id = m.id) as claimed_row, "
                + EligibilitySql.MEMBER_ACTIVITY_COLUMNS + " from member m"
                // The manifest's primary key (export_id, member_id), both bound: one index probe per member.
                + " left join anonymisation_export_member em on em.export_id = " + exportId
                + " and em.member_id = m.id where " + where;
    }

    private final JdbcTemplate jdbc;

    private final long importId;

    private final long exportId;

    JdbcRowFacts(JdbcTemplate jdbc, long importId, long exportId) {
        this.jdbc = jdbc;
        this.importId = importId;
        this.exportId = exportId;
    }

    @Override
    public OptionalLong firstRowNaming(long memberId) {
        List<Long> rows = jdbc.queryForList(
                "select row_number from anonymisation_import_claim where import_id = ? and member_id = ?", Long.class,
                importId, memberId);
        return rows.isEmpty() ? OptionalLong.empty() : OptionalLong.of(rows.get(0));
    }

    @Override
    public Optional<RowValidator.MemberFacts> member(long memberId) {
        return jdbc.query(MEMBER_SQL, (rs, n) -> memberFacts(rs), importId, exportId, memberId).stream()
            .findFirst();
    }

    /** Maps a row of {@link #memberSql(String, String, String)}. */
    static RowValidator.MemberFacts memberFacts(ResultSet rs) throws SQLException {
        boolean inExport = rs.getLong("in_export") > 0;
        return new RowValidator.MemberFacts(rs.getLong("club_id"), rs.getString("member_number"),
                MemberActivity.of(rs), inExport, rs.getString("fingerprint"), inExport ? exported(rs) : null);
    }

    /** The manifest's values of the row, or {@code null} once erased (the months are never null before). */
    private static ExportedRow exported(ResultSet rs) throws SQLException {
        int months = rs.getInt("em_months_inactive");
        if (rs.wasNull()) {
            return null;
        }
        Date lastActivity = rs.getDate("em_last_activity");
        return new ExportedRow(rs.getLong("id"), rs.getString("em_member_number"), rs.getString("em_last_name"),
                rs.getString("em_first_name"), rs.getString("em_status"),
                lastActivity == null ? null : lastActivity.toLocalDate(), rs.getString("em_last_activity_kind"),
                months);
    }

    /** The {@code claimed_row} of a row of {@link #memberSql(String, String, String)}, or {@code null}. */
    static Long claimedRow(ResultSet rs) throws SQLException {
        long row = rs.getLong("claimed_row");
        return rs.wasNull() ? null : row;
    }
}
