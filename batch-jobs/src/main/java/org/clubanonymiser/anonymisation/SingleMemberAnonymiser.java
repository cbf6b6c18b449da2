package org.clubanonymiser.anonymisation;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import org.clubanonymiser.anonymisation.PlanExecutor.LedgerEntry;
import org.clubanonymiser.anonymisation.SingleAnonymisation.Outcome;
import org.clubanonymiser.eligibility.EligibilityRules;
import org.clubanonymiser.eligibility.EligibilitySql;
import org.clubanonymiser.eligibility.Ineligibility;
import org.clubanonymiser.eligibility.MemberActivity;
import org.clubanonymiser.support.database.ResidueMarkers;
import org.clubanonymiser.support.UserAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Anonymises one member on request (the seed's "Anonymiser le client"): the same access rule as the mass
 * path ({@link UserAccess}), the single-member rules of {@link EligibilityRules#onRequest} (no inactivity period),
 * the same effect ({@link PlanExecutor}, the one {@link AnonymisationPlan}), the same ledger (source {@code SINGLE},
 * no import id) and the same transaction discipline as the import's writer:
 * <ol>
 * <li>in one new transaction: the member row and its account row are locked ({@code select ... for update}), the
 * member is judged, the request is recorded, the plan's member UPDATE runs with the eligibility predicate at the
 * request's instant in its WHERE (a status change committed first makes it update nothing), then the other tables
 * and the ledger row;</li>
 * <li>still in that transaction, after the UPDATE, the member is checked again
 * ({@link EligibilitySql#SETTLED_AND_INACTIVE_PREDICATE}, a new statement that sees what was committed since): on
 * H2 and Oracle an activity insert does not wait for the member's row lock, so a visit, sale, booking or instalment
 * committed meanwhile shows up here, the transaction is rolled back and the request refused with the rule it now
 * fails. On PostgreSQL such an insert waits for the lock (its foreign key check) and comes after the
 * anonymisation, as for the import.</li>
 * </ol>
 * Idempotent: a member already anonymised gets {@link Outcome#ALREADY_ANONYMISED} and nothing is written. A refusal
 * is recorded in {@code anonymisation_request} (code only) in a transaction of its own, except a too-long reason
 * (nothing recorded). The reason is stored there only, never logged. Always runs in a transaction of its own
 * ({@code REQUIRES_NEW}), also when called from a tasklet. Stateless and thread-safe.
 */
public class SingleMemberAnonymiser {

    /** Longest reason kept with a request (the column's size). */
    public static final int MAX_REASON_LENGTH = 200;

    private static final Logger log = LoggerFactory.getLogger(SingleMemberAnonymiser.class);

    private static final PlanExecutor PLAN = new PlanExecutor(AnonymisationPlan.current());

    private static final String ANONYMISE_SQL = PLAN.memberUpdateSql(
            "m.id = :memberId and m.club_id = :clubId and " + EligibilitySql.ELIGIBLE_PREDICATE);

    private static final String CAME_BACK_SQL = "select count(*) from member m where m.id = :memberId and not ("
            + EligibilitySql.SETTLED_AND_INACTIVE_PREDICATE + ")";

    /** Where a request came from, as recorded in {@code anonymisation_request.channel}. */
    public enum Channel {
        API, PAGE, TASK
    }

    private final NamedParameterJdbcTemplate jdbc;

    private final TransactionTemplate transaction;

    private final UserAccess userAccess;

    private final EligibilityRules rules;

    private final SingleMemberMetrics metrics;

    private final Clock clock;

    private final Hook hook;

    private final CreationDatePrecision creationDatePrecision;

    /** @param creationDatePrecision {@code anonymiser.privacy.creation-date-precision}: the plan's generalised columns */
    public SingleMemberAnonymiser(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactionManager,
            UserAccess userAccess, SingleMemberMetrics metrics, Clock clock, Hook hook,
            CreationDatePrecision creationDatePrecision) {
        this.jdbc = jdbc;
        this.creationDatePrecision = creationDatePrecision;
        this.transaction = new TransactionTemplate(transactionManager);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.userAccess = userAccess;
        this.rules = new EligibilityRules();
        this.metrics = metrics;
        this.clock = clock;
        this.hook = hook;
    }

    /**
     * Judges and, when every rule holds, anonymises the member.
     *
     * @param reason         optional free text, at most {@value #MAX_REASON_LENGTH} characters, stored with the request
     * @param jobExecutionId the job execution that asked (task mode), else {@code null}
     */
    public SingleAnonymisation anonymise(long memberId, String requestedBy, String reason, Channel channel,
            Long jobExecutionId) {
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why != null && why.length() > MAX_REASON_LENGTH) {
            return counted(null, refused(memberId, SingleRefusal.REASON_TOO_LONG, null));
        }
        Request request = new Request(memberId, requestedBy, why, channel, jobExecutionId);
        Optional<UserAccess.AppUser> user = userAccess.find(requestedBy);
        if (user.isEmpty() || !user.get().mayAnonymise()) {
            SingleRefusal refusal = user.isEmpty() ? SingleRefusal.UNKNOWN_USER : SingleRefusal.PERMISSION_DENIED;
            return counted(null, refuse(request, null, refusal));
        }
        Optional<Long> clubId = clubOf(memberId);
        if (clubId.isEmpty()) {
            return counted(null, refuse(request, null, SingleRefusal.UNKNOWN_MEMBER));
        }
        // The mass path's very rule (ADMIN or granted, the club among the user's), now that the club is known.
        UserAccess.Decision access = userAccess.check(requestedBy, clubId.get());
        if (access != UserAccess.Decision.ALLOWED) {
            return counted(clubId.get(), refuse(request, clubId.get(), SingleRefusal.of(access)));
        }
        SingleAnonymisation outcome;
        try {
            outcome = transaction.execute(status -> judgeAndAnonymise(request, clubId.get()));
        }
        catch (CameBackException ex) {
            // Rolled back: activity was committed while the member was being anonymised. Judged again, now.
            Ineligibility now = rules.onRequest(activity(memberId).orElseThrow(), LocalDateTime.now(clock));
            outcome = refuse(request, clubId.get(), now == null || now == Ineligibility.ALREADY_ANONYMISED
                    ? SingleRefusal.ACTIVE_NOW : SingleRefusal.of(now));
        }
        log.info("Single-member anonymisation of member {} by user {}: {}", memberId, user.get().id(),
                outcome.code());
        return counted(clubId.get(), outcome);
    }

    private SingleAnonymisation judgeAndAnonymise(Request request, long clubId) {
        long memberId = request.memberId();
        lock(memberId);
        hook.afterLock(memberId);
        LocalDateTime instant = LocalDateTime.now(clock);
        MemberActivity member = activity(memberId).orElseThrow();
        Ineligibility failed = rules.onRequest(member, instant);
        if (failed == Ineligibility.ALREADY_ANONYMISED) {
            return new SingleAnonymisation(memberId, Outcome.ALREADY_ANONYMISED, null, null, member.anonymisedAt(),
                    PLAN.planVersion());
        }
        if (failed != null) {
            long requestId = record(request, clubId, Outcome.REFUSED, SingleRefusal.of(failed), instant);
            return new SingleAnonymisation(memberId, Outcome.REFUSED, SingleRefusal.of(failed), requestId, null,
                    PLAN.planVersion());
        }
        long requestId = record(request, clubId, Outcome.ANONYMISED, null, instant);
        Timestamp now = Timestamp.valueOf(instant);
        int updated = jdbc.update(ANONYMISE_SQL, PlanExecutor.params(List.of(memberId), now)
            .addValue("memberId", memberId)
            .addValue("clubId", clubId)
            .addValue("cutoff", now)
            .addValue("cutoffDate", Date.valueOf(instant.toLocalDate())));
        if (updated != 1) {
            throw new CameBackException();
        }
        PLAN.eraseDetails(jdbc, List.of(memberId), now);
        PLAN.recordLedger(jdbc, List.of(memberId), now, LedgerEntry.ofRequest(requestId, request.requestedBy()));
        PLAN.generalise(jdbc, List.of(memberId), creationDatePrecision);
        ResidueMarkers.record(jdbc.getJdbcOperations(), ResidueMarkers.Source.SINGLE, requestId, now);
        hook.afterUpdate(memberId);
        Long cameBack = jdbc.queryForObject(CAME_BACK_SQL, new MapSqlParameterSource("memberId", memberId)
            .addValue("cutoff", now)
            .addValue("cutoffDate", Date.valueOf(instant.toLocalDate())), Long.class);
        if (cameBack != null && cameBack > 0) {
            throw new CameBackException();
        }
        return new SingleAnonymisation(memberId, Outcome.ANONYMISED, null, requestId, instant, PLAN.planVersion());
    }

    private SingleAnonymisation refuse(Request request, Long clubId, SingleRefusal refusal) {
        LocalDateTime instant = LocalDateTime.now(clock);
        Long requestId = transaction.execute(status -> record(request, clubId, Outcome.REFUSED, refusal, instant));
        return refused(request.memberId(), refusal, requestId);
    }

    private static SingleAnonymisation refused(long memberId, SingleRefusal refusal, Long requestId) {
        return new SingleAnonymisation(memberId, Outcome.REFUSED, refusal, requestId, null, PLAN.planVersion());
    }

    private SingleAnonymisation counted(Long clubId, SingleAnonymisation outcome) {
        metrics.request(clubId, outcome.code());
        return outcome;
    }

    private long record(Request request, Long clubId, Outcome outcome, SingleRefusal refusal,
            LocalDateTime instant) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update("""
                insert into anonymisation_request (member_id, club_id, requested_by, reason, channel, status,
                    refusal_code, plan_version, job_execution_id, requested_at)
                values (:memberId, :clubId, :requestedBy, :reason, :channel, :status, :refusal, :planVersion,
                    :jobExecutionId, :requestedAt)""", new MapSqlParameterSource("memberId", request.memberId())
            .addValue("clubId", clubId)
            .addValue("requestedBy", request.requestedBy())
            .addValue("reason", request.reason())
            .addValue("channel", request.channel().name())
            .addValue("status", outcome.name())
            .addValue("refusal", refusal == null ? null : refusal.name())
            .addValue("planVersion", PLAN.planVersion())
            .addValue("jobExecutionId", request.jobExecutionId())
            .addValue("requestedAt", Timestamp.valueOf(instant)), key, new String[] {"id"});
        return key.getKey().longValue();
    }

    private Optional<Long> clubOf(long memberId) {
        return jdbc.queryForList("select club_id from member where id = :id", new MapSqlParameterSource("id",
                memberId), Long.class).stream().findFirst();
    }

    private void lock(long memberId) {
        MapSqlParameterSource params = new MapSqlParameterSource("id", memberId);
        jdbc.queryForList("select m.id from member m where m.id = :id for update", params, Long.class);
        jdbc.queryForList("select a.member_id from member_account a where a.member_id = :id for update", params,
                Long.class);
    }

    private Optional<MemberActivity> activity(long memberId) {
        return jdbc.query("select " + EligibilitySql.MEMBER_ACTIVITY_COLUMNS + " from member m where m.id = :id",
                new MapSqlParameterSource("id", memberId), (rs, n) -> MemberActivity.of(rs)).stream().findFirst();
    }

    private record Request(long memberId, String requestedBy, String reason, Channel channel, Long jobExecutionId) {
    }

    /** The member came back while it was being anonymised: the transaction rolls back. */
    private static final class CameBackException extends RuntimeException {

        CameBackException() {
            super("activity committed during the anonymisation", null, false, false);
        }
    }

    /**
     * Two points inside the anonymising transaction, for tests that commit other work there: after the member's
     * rows are locked, and after the UPDATE and erasure, before the re-check and the commit. The product's does
     * nothing.
     */
    public interface Hook {

        Hook NONE = new Hook() {
        };

        default void afterLock(long memberId) {
        }

        default void afterUpdate(long memberId) {
        }
    }
}
