package org.clubanonymiser.anonymisation;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.clubanonymiser.anonymisation.AnonymisationPlan.Column;
import org.clubanonymiser.anonymisation.AnonymisationPlan.RowAction;
import org.clubanonymiser.anonymisation.AnonymisationPlan.Table;
import org.clubanonymiser.anonymisation.AnonymisationPlan.Treatment;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * Runs the {@link AnonymisationPlan}: the SQL is generated from the plan once, at construction, and is the only SQL
 * that erases member data. Used by the import's {@code AnonymisingWriter} (a chunk of members, one JDBC batch for
 * the member UPDATE, then one set-based statement per table) and by the single-member path (a chunk of one).
 * <p>
 * The caller owns the transaction, the locks and the eligibility re-check: {@link #memberUpdateSql(String)} is the
 * member UPDATE with the caller's WHERE (the eligibility predicate, so that a member who came back is left alone),
 * {@link #eraseDetails} treats the other tables for the members that UPDATE changed, {@link #recordLedger} adds
 * their ledger rows. Named parameters: {@code :now} (timestamp), {@code :yes}/{@code :no} (booleans, bound rather
 * than written as literals for Oracle), {@code :ids} (the members). Stateless and thread-safe.
 */
public final class PlanExecutor {

    /** Where the anonymisation came from, as recorded in {@code anonymisation_ledger.source}. */
    public enum Source {
        IMPORT, SINGLE
    }

    /**
     * Who and what a ledger row records.
     *
     * @param importId  the import ({@link Source#IMPORT}), else {@code null}
     * @param requestId the single-member request ({@link Source#SINGLE}), else {@code null}
     */
    public record LedgerEntry(Source source, Long importId, Long requestId, String requestedBy) {

        public static LedgerEntry ofImport(long importId, String requestedBy) {
            return new LedgerEntry(Source.IMPORT, importId, null, requestedBy);
        }

        public static LedgerEntry ofRequest(long requestId, String requestedBy) {
            return new LedgerEntry(Source.SINGLE, null, requestId, requestedBy);
        }
    }

    private final AnonymisationPlan plan;

    private final String memberSet;

    private final List<String> detailStatements;

    private final List<Column> generalised;

    public PlanExecutor(AnonymisationPlan plan) {
        this.plan = plan;
        this.generalised = plan.table("member").orElseThrow().columns().stream()
            .filter(c -> c.treatment() == Treatment.GENERALISED)
            .toList();
        Table member = plan.table("member").orElseThrow();
        this.memberSet = "update member m set " + assignments(member);
        this.detailStatements = detailStatements(plan);
    }

    public String planVersion() {
        return plan.version();
    }

    /**
     * The member UPDATE, {@code member m}, with the caller's condition (it must name the member, e.g.
     * {@code m.id = :memberId and ...}).
     */
    public String memberUpdateSql(String where) {
        return memberSet + " where " + where;
    }

    /** The SQL run by {@link #eraseDetails}, in order (for tests and the benchmarks' floor). */
    public List<String> detailStatements() {
        return detailStatements;
    }

    /** Treats every other member-data table of the plan for these members (already updated by the member UPDATE). */
    public void eraseDetails(NamedParameterJdbcTemplate jdbc, List<Long> memberIds, Timestamp now) {
        MapSqlParameterSource params = params(memberIds, now);
        for (String sql : detailStatements) {
            jdbc.update(sql, params);
        }
    }

    /**
     * Truncates the plan's {@link Treatment#GENERALISED} columns of {@code member} (the creation date) to
     * {@code precision}, for these members once anonymised; the truncation is computed here, not in SQL, so it is the
     * same on H2, PostgreSQL and Oracle (whose date functions differ). Idempotent; returns the rows changed.
     */
    public int generalise(NamedParameterJdbcTemplate jdbc, List<Long> memberIds, CreationDatePrecision precision) {
        if (precision == CreationDatePrecision.EXACT || memberIds.isEmpty()) {
            return 0;
        }
        int changed = 0;
        for (Column column : generalised) {
            String name = "m." + column.name();
            SqlParameterSource[] updates = jdbc.query("select m.id, " + name + " from member m where m.id in (:ids)"
                    + " and m.status = 'ANONYMISED' and " + precision.finerThan(name),
                    new MapSqlParameterSource("ids", memberIds),
                    (rs, n) -> new MapSqlParameterSource("id", rs.getLong(1)).addValue("value",
                            Timestamp.valueOf(precision.truncate(rs.getTimestamp(2).toLocalDateTime()))))
                .toArray(SqlParameterSource[]::new);
            if (updates.length > 0) {
                jdbc.batchUpdate("update member set " + column.name() + " = :value where id = :id", updates);
                changed += updates.length;
            }
        }
        return changed;
    }

    /** One ledger row per member (its primary key makes a second one impossible), with the plan's version. */
    public void recordLedger(NamedParameterJdbcTemplate jdbc, List<Long> memberIds, Timestamp now, LedgerEntry entry) {
        jdbc.update("""
                insert into anonymisation_ledger (member_id, club_id, import_id, request_id, source, plan_version,
                    anonymised_at, requested_by)
                select m.id, m.club_id, :importId, :requestId, :source, :planVersion, :now, :requestedBy
                from member m where m.id in (:ids)""", params(memberIds, now)
            .addValue("importId", entry.importId())
            .addValue("requestId", entry.requestId())
            .addValue("source", entry.source().name())
            .addValue("planVersion", plan.version())
            .addValue("requestedBy", entry.requestedBy()));
    }

    /** The parameters of the plan's statements; the member UPDATE also needs the caller's own. */
    public static MapSqlParameterSource params(List<Long> memberIds, Timestamp now) {
        return new MapSqlParameterSource("ids", memberIds).addValue("now", now)
            .addValue("yes", true)
            .addValue("no", false);
    }

    private static List<String> detailStatements(AnonymisationPlan plan) {
        List<String> statements = new ArrayList<>();
        for (Table table : plan.tables()) {
            if (table.name().equals("member") || table.rows() == RowAction.KEEP) {
                continue;
            }
            String where = " where " + table.memberKey() + " in (:ids)";
            if (table.rows() == RowAction.DELETE) {
                statements.add("delete from " + table.name() + where);
                continue;
            }
            for (Column column : table.columns()) {
                if (column.treatment() == Treatment.RETIRED) {
                    // Before the row's own UPDATE: the number is listed even if the badge row is deleted later.
                    // "Not yet retired" is a correlated count, not NOT EXISTS: PostgreSQL turns NOT EXISTS into an
                    // anti-join, and the generic plan its driver's prepared statement gets from the sixth chunk on
                    // hashed the whole retired_badge_number table (which the import keeps growing) for every chunk:
                    // 23 ms a chunk at 1M members, against one primary-key probe per badge here whatever the plan.
                    statements.add("insert into retired_badge_number (badge_number, retired_at) select t."
                            + column.name() + ", :now from " + table.name() + " t where t." + table.memberKey()
                            + " in (:ids) and (select count(*) from retired_badge_number r where r.badge_number"
                            + " = t." + column.name() + ") = 0");
                }
            }
            String assignments = assignments(table);
            if (!assignments.isEmpty()) {
                statements.add("update " + table.name() + " set " + assignments + where);
            }
        }
        return List.copyOf(statements);
    }

    private static String assignments(Table table) {
        return table.columns().stream()
            .filter(c -> c.treatment() == Treatment.ERASED || c.treatment() == Treatment.SET
                    || c.treatment() == Treatment.NULLED)
            .map(c -> c.name() + " = " + (c.treatment() == Treatment.NULLED ? "null" : c.value()))
            .collect(Collectors.joining(", "));
    }
}
