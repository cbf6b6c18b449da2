package org.clubanonymiser.importing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.clubanonymiser.anonymisation.AnonymisationPlan;
import org.clubanonymiser.anonymisation.CreationDatePrecision;
import org.clubanonymiser.anonymisation.PlanExecutor.LedgerEntry;
import org.clubanonymiser.anonymisation.PlanExecutor;
import org.clubanonymiser.eligibility.Eligibility;
import org.clubanonymiser.eligibility.EligibilityRules;
import org.clubanonymiser.eligibility.EligibilitySql;
import org.clubanonymiser.support.database.ResidueMarkers;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Anonymises the validated rows of a chunk as the plan says, with set-based SQL in the chunk's transaction:
 * <ol>
 * <li>locks the chunk's {@code member} rows and their {@code member_account} rows ({@code select ... for update}, in
 * id order);</li>
 * <li>updates each member (one JDBC batch) {@code where id = ? and club_id = ?} and the eligibility predicate of
 * {@link EligibilitySql#ELIGIBLE_PREDICATE} with the export's cutoff: a member who came back, owes money or became a
 * client since validation updates nothing and is recorded {@code NO_LONGER_ELIGIBLE} (or
 * {@code ALREADY_ANONYMISED}) here, without throwing: a write-phase exception would make Spring Batch re-run the chunk
 * item by item;</li>
 * <li>for the members updated: every other table as the {@link AnonymisationPlan} declares it (address lines
 * nulled, phones deleted, consents withdrawn, badges retired, creation date generalised, history kept), through
 * {@link PlanExecutor}, and one
 * {@code anonymisation_ledger} row each (source {@code IMPORT}; its primary key makes a second one impossible);</li>
 * <li>adds the chunk's counts to the import record.</li>
 * </ol>
 * Rows the validator flagged {@link ValidatedRow#alreadyAnonymised()}, and rows whose member another import
 * anonymised between validation and this UPDATE, are recorded {@code ALREADY_ANONYMISED} and counted apart
 * ({@code rows_already_anonymised}): informational, neither anonymised by this import nor rejected.
 * <b>Why a concurrent activity cannot produce an anonymised active member.</b> The member UPDATE is atomic per row on
 * every database: its WHERE is evaluated on the row it locks, so a status change (CLIENT) or another anonymisation
 * committed first makes it update nothing. Activity lives in other tables: inserting a visit, booking, purchase,
 * instalment or account checks its foreign key to {@code member}, which on PostgreSQL takes a key-share lock on the
 * member row, a lock that conflicts with the {@code for update} taken in step 1. So a concurrent transaction that
 * added activity either committed before the lock was granted, and then the UPDATE, a new statement with a new
 * snapshot under READ COMMITTED, sees it and leaves the member alone; or it waits until this chunk commits, and the
 * activity is then recorded against a member already anonymised (and blocked for sales and bookings), never the other
 * way round. A balance change on an existing account row waits on the account row lock the same way. H2 (the
 * embedded, single-process default) and Oracle do not lock the parent row on a child insert: there, activity
 * committed by another transaction after the UPDATE's check would go unseen. So, after the UPDATE and the erasure,
 * still in the chunk's transaction, the anonymised members are checked again ({@link
 * EligibilitySql#SETTLED_AND_INACTIVE_PREDICATE}, a new statement that sees what was committed since): if any came
 * back, the chunk's writes are rolled back to a savepoint taken before the UPDATE and done again, when the UPDATE
 * leaves those members alone ({@code NO_LONGER_ELIGIBLE}); after {@value #MAX_ATTEMPTS} attempts the chunk fails
 * (rolled back, restartable). What remains on H2 and Oracle is the instant between that re-check and the commit.
 * {@code ImportConcurrencyJobFunctionalTests} commits activity at two points of {@link Hook} on H2 and PostgreSQL.
 * <p>
 * In a dry run ({@link ImportContext#dryRun()}) the UPDATE's WHERE runs as a SELECT instead: same rejections and
 * counts (members "anonymised" meaning "would be"), no lock, nothing written but the rejections and counters of the
 * import record.
 * <p>
 * Idempotent: an already anonymised member fails the predicate ({@code anonymised_at is null}) and is not touched.
 * Stateless and thread-safe.
 */
class AnonymisingWriter implements ItemWriter<ValidatedRow> {

    /** The SQL that erases member data: generated from the one declared {@link AnonymisationPlan}. */
    private static final PlanExecutor PLAN = new PlanExecutor(AnonymisationPlan.current());

    private static final String ANONYMISE_SQL = PLAN.memberUpdateSql(
            "m.id = :memberId and m.club_id = :clubId and " + EligibilitySql.ELIGIBLE_PREDICATE);

    /**
     * The dry run's re-check: the UPDATE's very WHERE as a SELECT, so a dry run keeps exactly the rows a real import
     * would keep at that moment, and writes nothing.
     */
    private static final String STILL_ELIGIBLE_SQL = """
            select m.id from member m
            where m.id in (:ids) and m.club_id = :clubId and\s""" + EligibilitySql.ELIGIBLE_PREDICATE;

    /**
     * After the anonymising UPDATE, in the same transaction: the updated members whose activity or balance, as now
     * committed, would have kept them.
     */
    private static final String CAME_BACK_SQL = """
            select m.id from member m
            where m.id in (:ids) and not (""" + EligibilitySql.SETTLED_AND_INACTIVE_PREDICATE + ")";

    private static final int MAX_ATTEMPTS = 3;

    private final NamedParameterJdbcTemplate jdbc;

    private final Hook hook;

    private final ImportContext context;

    private final RowValidator.Facts facts;

    private final EligibilityRules rules;

    private final Rejections rejections;

    private final ImportRecords records;

    private final Clock clock;

    private final ImportMetrics metrics;

    private final CreationDatePrecision creationDatePrecision;

    AnonymisingWriter(NamedParameterJdbcTemplate jdbc, ImportContext context, RowValidator.Facts facts,
            EligibilityRules rules, Rejections rejections, ImportRecords records, Clock clock) {
        this(jdbc, context, facts, rules, rejections, records, clock, ImportMetrics.NONE, Hook.NONE,
                CreationDatePrecision.EXACT);
    }

    /**
     * @param metrics               counts the chunk's outcomes once it commits ({@link ImportMetrics#NONE} for a dry
     *                              run)
     * @param hook                  called at three points of each chunk's transaction (tests use it to interleave
     *                              other work)
     * @param creationDatePrecision {@code anonymiser.privacy.creation-date-precision}: the plan's generalised columns
     */
    AnonymisingWriter(NamedParameterJdbcTemplate jdbc, ImportContext context, RowValidator.Facts facts,
            EligibilityRules rules, Rejections rejections, ImportRecords records, Clock clock,
            ImportMetrics metrics, Hook hook, CreationDatePrecision creationDatePrecision) {
        this.hook = hook;
        this.creationDatePrecision = creationDatePrecision;
        this.metrics = metrics;
        this.jdbc = jdbc;
        this.context = context;
        this.facts = facts;
        this.rules = rules;
        this.rejections = rejections;
        this.records = records;
        this.clock = clock;
    }

    @Override
    public void write(Chunk<? extends ValidatedRow> chunk) {
        if (chunk.isEmpty()) {
            return;
        }
        // Rows of members anonymised before this import's writes: reported, never written again.
        List<RowRejectedException> kept = new ArrayList<>(chunk.getItems().stream()
            .filter(ValidatedRow::alreadyAnonymised)
            .map(row -> rejection(RowRejection.ALREADY_ANONYMISED, row))
            .toList());
        List<ValidatedRow> rows = chunk.getItems().stream().filter(row -> !row.alreadyAnonymised())
            .map(ValidatedRow.class::cast).toList();
        List<Long> anonymised = rows.isEmpty() ? List.of()
                : context.dryRun() ? recheckOnly(rows, kept) : anonymise(rows, kept);
        rejections.record(context.importId(), List.copyOf(kept));
        int alreadyAnonymised = (int) kept.stream().filter(rejection -> rejection.code().informational()).count();
        records.countWritten(context.importId(), chunk.size(), anonymised.size(), kept.size() - alreadyAnonymised,
                alreadyAnonymised);
        if (!context.dryRun()) {
            metrics.rows(context.clubId(), ImportMetrics.ANONYMISED, anonymised.size());
            kept.forEach(rejection -> metrics.rows(context.clubId(), rejection.code().name(), 1));
        }
    }

    /** Anonymises the rows; adds the rows the UPDATE left alone to {@code kept}; returns the members anonymised. */
    private List<Long> anonymise(List<ValidatedRow> rows, List<RowRejectedException> kept) {
        List<Long> ids = rows.stream().map(ValidatedRow::memberId).sorted().toList();
        Timestamp now = Timestamp.valueOf(LocalDateTime.now(clock));
        hook.beforeLock(context.importId(), ids);
        lock(ids);
        hook.afterLock(context.importId(), ids);

        SqlParameterSource[] updates = rows.stream().map(row -> PlanExecutor.params(List.of(row.memberId()), now)
            .addValue("memberId", row.memberId())
            .addValue("clubId", context.clubId())
            .addValue("cutoff", Timestamp.valueOf(context.cutoff().atStartOfDay()))
            .addValue("cutoffDate", java.sql.Date.valueOf(context.cutoff()))).toArray(SqlParameterSource[]::new);
        Connection connection = DataSourceUtils.getConnection(dataSource());
        List<Long> anonymised = new ArrayList<>();
        int keptBefore = kept.size();
        for (int attempt = 1;; attempt++) {
            Savepoint beforeUpdate = savepoint(connection);
            int[] counts = jdbc.batchUpdate(ANONYMISE_SQL, updates);
            anonymised.clear();
            kept.subList(keptBefore, kept.size()).clear();
            Map<Long, Boolean> updated = outcome(rows, counts, now);
            for (ValidatedRow row : rows) {
                if (updated.get(row.memberId())) {
                    anonymised.add(row.memberId());
                }
                else {
                    kept.add(whyKept(row));
                }
            }
            if (!anonymised.isEmpty()) {
                eraseDetails(anonymised, now);
            }
            hook.afterUpdate(context.importId(), List.copyOf(anonymised));
            List<Long> cameBack = cameBack(anonymised);
            if (cameBack.isEmpty()) {
                return anonymised;
            }
            // Activity committed by another transaction after the UPDATE's check (possible where an activity insert
            // does not wait for the member row lock: H2, Oracle): undo this chunk's anonymisation and do it again,
            // when the UPDATE's predicate sees that activity and leaves those members alone.
            rollbackTo(connection, beforeUpdate, cameBack, attempt);
        }
    }

    /**
     * A dry run: the same outcome as {@link #anonymise} (the rows kept added to {@code kept}, the members that would
     * be anonymised returned), but no member, badge or ledger row written.
     */
    private List<Long> recheckOnly(List<ValidatedRow> rows, List<RowRejectedException> kept) {
        List<Long> ids = rows.stream().map(ValidatedRow::memberId).sorted().toList();
        Set<Long> eligible = new HashSet<>(jdbc.queryForList(STILL_ELIGIBLE_SQL, new MapSqlParameterSource("ids", ids)
            .addValue("clubId", context.clubId())
            .addValue("cutoff", Timestamp.valueOf(context.cutoff().atStartOfDay()))
            .addValue("cutoffDate", java.sql.Date.valueOf(context.cutoff())), Long.class));
        rows.stream().filter(row -> !eligible.contains(row.memberId())).map(this::whyKept).forEach(kept::add);
        return rows.stream().map(ValidatedRow::memberId).filter(eligible::contains).toList();
    }

    /** The members this chunk anonymised that are, as now committed, active or with a non-zero balance. */
    private List<Long> cameBack(List<Long> anonymised) {
        if (anonymised.isEmpty()) {
            return List.of();
        }
        return jdbc.queryForList(CAME_BACK_SQL, new MapSqlParameterSource("ids", anonymised)
            .addValue("cutoff", Timestamp.valueOf(context.cutoff().atStartOfDay()))
            .addValue("cutoffDate", java.sql.Date.valueOf(context.cutoff())), Long.class);
    }

    private DataSource dataSource() {
        return jdbc.getJdbcTemplate().getDataSource();
    }

    private static Savepoint savepoint(Connection connection) {
        try {
            return connection.setSavepoint();
        }
        catch (SQLException ex) {
            throw new CannotCreateTransactionException("No savepoint for the anonymisation's re-check", ex);
        }
    }

    private static void rollbackTo(Connection connection, Savepoint savepoint, List<Long> cameBack, int attempt) {
        if (attempt >= MAX_ATTEMPTS) {
            throw new ConcurrentActivityException(cameBack.size(), attempt);
        }
        try {
            connection.rollback(savepoint);
        }
        catch (SQLException ex) {
            throw new CannotCreateTransactionException("Rollback to the anonymisation's savepoint failed", ex);
        }
    }

    /**
     * Activity kept arriving for members of the chunk while it was being anonymised: the chunk fails (its
     * transaction rolls back, nothing is anonymised) and the step with it; a restart retries it.
     */
    static class ConcurrentActivityException extends RuntimeException {

        ConcurrentActivityException(int members, int attempts) {
            super(members + " member(s) of the chunk became active again during each of " + attempts
                    + " attempts to anonymise it");
        }
    }

    private void lock(List<Long> ids) {
        MapSqlParameterSource params = new MapSqlParameterSource("ids", ids);
        jdbc.queryForList("select m.id from member m where m.id in (:ids) order by m.id for update", params,
                Long.class);
        jdbc.queryForList("""
                select a.member_id from member_account a where a.member_id in (:ids) order by a.member_id
                for update""", params, Long.class);
    }

    /** Which rows the UPDATE changed; a driver reporting no per-statement count gets a query instead. */
    private Map<Long, Boolean> outcome(List<ValidatedRow> rows, int[] counts, Timestamp now) {
        Map<Long, Boolean> updated = new HashMap<>();
        boolean unknown = false;
        for (int i = 0; i < rows.size(); i++) {
            unknown |= counts[i] < 0;
            updated.put(rows.get(i).memberId(), counts[i] > 0);
        }
        if (unknown) {
            List<Long> changed = jdbc.queryForList("""
                    select m.id from member m
                    where m.id in (:ids) and m.status = 'ANONYMISED' and m.anonymised_at = :now""",
                    new MapSqlParameterSource("ids", List.copyOf(updated.keySet())).addValue("now", now), Long.class);
            updated.replaceAll((id, ignored) -> changed.contains(id));
        }
        return updated;
    }

    private void eraseDetails(List<Long> ids, Timestamp now) {
        PLAN.eraseDetails(jdbc, ids, now);
        PLAN.recordLedger(jdbc, ids, now, LedgerEntry.ofImport(context.importId(), context.requestedBy()));
        PLAN.generalise(jdbc, ids, creationDatePrecision);
        // In the chunk's transaction: the old values may stay in the database's files until the maintenance step.
        ResidueMarkers.record(jdbc.getJdbcOperations(), ResidueMarkers.Source.IMPORT, context.importId(), now);
    }

    private static RowRejectedException rejection(RowRejection code, ValidatedRow row) {
        return new RowRejectedException(code, row.rowNumber(), row.memberId(), row.memberNumber());
    }

    /** The rejection of a validated row the UPDATE left alone: what changed since validation. */
    private RowRejectedException whyKept(ValidatedRow row) {
        Optional<RowValidator.MemberFacts> member = facts.member(row.memberId());
        if (member.isEmpty()) {
            return new RowRejectedException(RowRejection.UNKNOWN_MEMBER, row.rowNumber(), row.memberId(),
                    row.memberNumber());
        }
        if (member.get().activity().anonymisedAt() != null) {
            // Anonymised since validation, by a concurrent import of the same export: informational, as above.
            return rejection(RowRejection.ALREADY_ANONYMISED, row);
        }
        if (member.get().clubId() != context.clubId()) {
            return new RowRejectedException(RowRejection.OTHER_CLUB, row.rowNumber(), row.memberId(),
                    row.memberNumber());
        }
        Eligibility eligibility = rules.evaluate(member.get().activity(), context.period());
        return new RowRejectedException(RowRejection.NO_LONGER_ELIGIBLE, row.rowNumber(), row.memberId(),
                row.memberNumber(), eligibility.eligible() ? null : RowValidator.noLongerEligible(eligibility.reason()));
    }

    /**
     * Three points inside a chunk's transaction, for tests that commit other work there (activity, another import):
     * before and after the member rows are locked, and after the anonymising UPDATE and erasure, before the re-check
     * and the commit. The product's hook does nothing.
     */
    interface Hook {

        Hook NONE = new Hook() {
        };

        default void beforeLock(long importId, List<Long> memberIds) {
        }

        default void afterLock(long importId, List<Long> memberIds) {
        }

        default void afterUpdate(long importId, List<Long> anonymisedMemberIds) {
        }
    }
}
