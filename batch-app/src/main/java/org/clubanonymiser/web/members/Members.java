package org.clubanonymiser.web.members;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.clubanonymiser.anonymisation.SingleAnonymisation;
import org.clubanonymiser.anonymisation.SingleAnonymisation.Outcome;
import org.clubanonymiser.anonymisation.SingleMemberAnonymiser;
import org.clubanonymiser.anonymisation.SingleMemberAnonymiser.Channel;
import org.clubanonymiser.anonymisation.SingleRefusal;
import org.clubanonymiser.eligibility.EligibilityRules;
import org.clubanonymiser.eligibility.EligibilitySql;
import org.clubanonymiser.eligibility.Ineligibility;
import org.clubanonymiser.eligibility.MemberActivity;
import org.clubanonymiser.metrics.EligibleMembersGauge;
import org.clubanonymiser.support.UserAccess.AppUser;
import org.clubanonymiser.support.UserAccess.Decision;
import org.clubanonymiser.web.AccessRefusedException;
import org.clubanonymiser.web.ApiException;
import org.clubanonymiser.web.security.CurrentUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The member search, the member page and the single-member anonymisation behind the pages and the API. A search
 * and a member page only ever show members of the signed-in user's clubs; what was searched for is never logged nor
 * put in a URL (the page posts its search). The anonymisation is {@link SingleMemberAnonymiser}'s (the same service
 * as {@code anonymiseMemberJob}); afterwards the eligible-members gauge (the dashboard's count) is recounted in the
 * background.
 */
public class Members {

    /** Results per page of a search. */
    public static final int PAGE_SIZE = 20;

    private static final Logger log = LoggerFactory.getLogger(Members.class);

    /** One line of a search: what an admin needs to recognise the member, no contact details. */
    public record Found(long id, String memberNumber, String clubCode, String lastName, String firstName,
            String status) {
    }

    /** A page of results; {@code page} counts from 0. */
    public record SearchPage(List<Found> members, int page, boolean hasNext) {
    }

    /**
     * A member's page: identity, status, and {@code refusal} when a rule refuses the anonymisation right now
     * ({@code null} when it may go ahead, or when the member is already anonymised).
     */
    public record MemberView(long id, String memberNumber, long clubId, String clubCode, String lastName,
            String firstName, String status, LocalDateTime createdAt, LocalDateTime anonymisedAt,
            SingleRefusal refusal) {

        public boolean anonymised() {
            return anonymisedAt != null;
        }
    }

    private final NamedParameterJdbcTemplate jdbc;

    private final CurrentUser currentUser;

    private final SingleMemberAnonymiser anonymiser;

    private final ObjectProvider<EligibleMembersGauge> gauge;

    private final Executor background;

    private final Clock clock;

    private volatile CompletableFuture<Void> lastRecount = CompletableFuture.completedFuture(null);

    public Members(NamedParameterJdbcTemplate jdbc, CurrentUser currentUser, SingleMemberAnonymiser anonymiser,
            ObjectProvider<EligibleMembersGauge> gauge, Executor background, Clock clock) {
        this.jdbc = jdbc;
        this.currentUser = currentUser;
        this.anonymiser = anonymiser;
        this.gauge = gauge;
        this.background = background;
        this.clock = clock;
    }

    /**
     * Members of the user's clubs whose member number is {@code number} (exact), or whose last or first name starts
     * with {@code name} (case-insensitive), ordered by name; empty when neither is given.
     */
    public SearchPage search(String number, String name, int page) {
        AppUser user = currentUser.get();
        int from = Math.max(0, page) * PAGE_SIZE;
        MapSqlParameterSource params = new MapSqlParameterSource("clubs", user.clubIds().isEmpty() ? List.of(-1L)
                : List.copyOf(user.clubIds())).addValue("offset", from).addValue("rows", PAGE_SIZE + 1);
        String where;
        if (number != null && !number.isBlank()) {
            where = "m.member_number = :number";
            params.addValue("number", number.strip());
        }
        else if (name != null && !name.isBlank()) {
            where = "(lower(m.last_name) like :name escape '\\' or lower(m.first_name) like :name escape '\\')";
            params.addValue("name", like(name.strip().toLowerCase(Locale.ROOT)) + "%");
        }
        else {
            return new SearchPage(List.of(), 0, false);
        }
        List<Found> found = jdbc.query("""
                select m.id, m.member_number, c.code, m.last_name, m.first_name, m.status
                from member m join club c on c.id = m.club_id
                where m.club_id in (:clubs) and\s""" + where + """
                 order by m.last_name, m.first_name, m.id
                offset :offset rows fetch next :rows rows only""", params,
                (rs, n) -> new Found(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)));
        boolean hasNext = found.size() > PAGE_SIZE;
        return new SearchPage(hasNext ? found.subList(0, PAGE_SIZE) : found, Math.max(0, page), hasNext);
    }

    /** One member of the user's clubs (403 {@code FOREIGN_CLUB} for another club's, 404 when unknown). */
    public MemberView member(long id) {
        List<MemberView> rows = jdbc.query("""
                select m.member_number, m.club_id, c.code, m.last_name, m.first_name, m.status, m.created_at,
                    m.anonymised_at
                from member m join club c on c.id = m.club_id where m.id = :id""", new MapSqlParameterSource("id", id),
                (rs, n) -> new MemberView(id, rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getObject(7, LocalDateTime.class),
                        rs.getObject(8, LocalDateTime.class), null));
        if (rows.isEmpty()) {
            throw ApiException.notFound("member", id);
        }
        MemberView member = rows.get(0);
        currentUser.forClub(member.clubId());
        return new MemberView(member.id(), member.memberNumber(), member.clubId(), member.clubCode(),
                member.lastName(), member.firstName(), member.status(), member.createdAt(), member.anonymisedAt(),
                refusalNow(id));
    }

    /**
     * Anonymises the member for the signed-in user. Refusals are {@link ApiException}s (403 for access, 404 for an
     * unknown member, 400 for a too-long reason, 409 for a rule of the member's), with the rule's code.
     */
    public SingleAnonymisation anonymise(long id, String reason, Channel channel) {
        AppUser user = currentUser.get();
        SingleAnonymisation outcome = anonymiser.anonymise(id, user.username(), reason, channel, null);
        if (outcome.outcome() == Outcome.ANONYMISED) {
            lastRecount = CompletableFuture.runAsync(this::recount, background);
        }
        if (outcome.outcome() != Outcome.REFUSED) {
            return outcome;
        }
        switch (outcome.refusal()) {
            case UNKNOWN_USER, PERMISSION_DENIED, FOREIGN_CLUB ->
                throw new AccessRefusedException(Decision.valueOf(outcome.refusal().name()));
            case UNKNOWN_MEMBER -> throw ApiException.notFound("member", id);
            case REASON_TOO_LONG -> throw new ApiException(HttpStatus.BAD_REQUEST, "REASON_TOO_LONG",
                    SingleMemberAnonymiser.MAX_REASON_LENGTH);
            default -> throw new ApiException(HttpStatus.CONFLICT, outcome.refusal().name());
        }
    }

    /** The recount started by the last anonymisation (tests wait on it rather than sleeping). */
    public CompletableFuture<Void> lastRecount() {
        return lastRecount;
    }

    private SingleRefusal refusalNow(long id) {
        MemberActivity activity = jdbc.queryForObject("select " + EligibilitySql.MEMBER_ACTIVITY_COLUMNS
                + " from member m where m.id = :id", new MapSqlParameterSource("id", id),
                (rs, n) -> MemberActivity.of(rs));
        Ineligibility failed = new EligibilityRules().onRequest(activity, LocalDateTime.now(clock));
        return failed == null || failed == Ineligibility.ALREADY_ANONYMISED ? null : SingleRefusal.of(failed);
    }

    private void recount() {
        EligibleMembersGauge eligible = gauge.getIfAvailable();
        if (eligible == null) {
            return;
        }
        try {
            eligible.refresh();
        }
        catch (RuntimeException ex) {
            log.warn("Eligible members not recounted after a single-member anonymisation: {}",
                    ex.getClass().getSimpleName());
        }
    }

    /** The text as a LIKE pattern matching itself only. */
    private static String like(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
