package org.clubanonymiser.eligibility;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The single source of truth for who may be anonymised (docs/reference.md#eligibility). A member is eligible when not
 * already anonymised, {@code PROSPECT} or {@code FORMER_CLIENT}, with a balance of exactly 0, created before the
 * cutoff, and with no visit, booking (booked or starting), purchase or instalment due on or after the cutoff. SQL may
 * prefilter ({@link EligibilitySql}) but every exported member passes through here. Stateless and thread-safe.
 */
public final class EligibilityRules {

    public Eligibility evaluate(MemberActivity member, InactivityPeriod period) {
        LocalDateTime cutoff = period.cutoffStart();
        Latest latest = latestActivity(member);
        LocalDate reference = latest.date != null ? latest.date : member.createdAt().toLocalDate();
        int months = (int) Math.max(0, ChronoUnit.MONTHS.between(reference, period.asOf()));
        return new Eligibility(firstFailure(member, cutoff), latest.date, latest.kind, months);
    }

    /**
     * The single-member rules (the seed's "Anonymiser le client"): the same as {@link #evaluate} with no inactivity
     * period, i.e. activity is judged from the request's instant {@code now} on. What can fail: already anonymised,
     * a client, a non-zero balance, a booking starting (or booked) at or after {@code now}, an instalment due today
     * or later, and a visit or purchase recorded at or after {@code now} (activity committed while the request runs).
     *
     * @return {@code null} when the member may be anonymised now, else the first rule that failed
     */
    public Ineligibility onRequest(MemberActivity member, LocalDateTime now) {
        Ineligibility failed = firstFailure(member, now);
        // Instalments are dated, not timed: one due today is still to come (as EligibilitySql's :cutoffDate says).
        if (failed == null && member.lastInstalmentDue() != null
                && !member.lastInstalmentDue().isBefore(now.toLocalDate())) {
            return Ineligibility.RECENT_INSTALMENT;
        }
        return failed;
    }

    /**
     * The first rule that fails on the member's standing alone (already anonymised, a client, a non-zero balance,
     * created on or after the cutoff), which {@link #evaluate} checks before any activity: {@code null} when the
     * activity decides. A member whose standing fails is judged the same whatever their activity, so a reader may
     * leave it unread ({@link EligibilitySql#ACTIVITY_DECIDES}); this is how the export checks that it could.
     */
    public Ineligibility standing(MemberActivity member, InactivityPeriod period) {
        return standingFailure(member, period.cutoffStart());
    }

    private static Ineligibility firstFailure(MemberActivity m, LocalDateTime cutoff) {
        Ineligibility standing = standingFailure(m, cutoff);
        return standing != null ? standing : activityFailure(m, cutoff);
    }

    private static Ineligibility standingFailure(MemberActivity m, LocalDateTime cutoff) {
        if (m.anonymisedAt() != null || "ANONYMISED".equals(m.status())) {
            return Ineligibility.ALREADY_ANONYMISED;
        }
        if (!"PROSPECT".equals(m.status()) && !"FORMER_CLIENT".equals(m.status())) {
            return Ineligibility.CLIENT;
        }
        BigDecimal balance = m.balance() == null ? BigDecimal.ZERO : m.balance();
        if (balance.signum() < 0) {
            return Ineligibility.DEBT;
        }
        if (balance.signum() > 0) {
            return Ineligibility.OVERPAYMENT;
        }
        if (!m.createdAt().isBefore(cutoff)) {
            return Ineligibility.CREATED_AFTER_CUTOFF;
        }
        return null;
    }

    private static Ineligibility activityFailure(MemberActivity m, LocalDateTime cutoff) {
        if (onOrAfter(m.lastVisit(), cutoff)) {
            return Ineligibility.RECENT_VISIT;
        }
        if (onOrAfter(m.lastBookedAt(), cutoff) || onOrAfter(m.lastBookingStart(), cutoff)) {
            return Ineligibility.RECENT_BOOKING;
        }
        if (onOrAfter(m.lastPurchase(), cutoff)) {
            return Ineligibility.RECENT_PURCHASE;
        }
        if (m.lastInstalmentDue() != null && !m.lastInstalmentDue().atStartOfDay().isBefore(cutoff)) {
            return Ineligibility.RECENT_INSTALMENT;
        }
        return null;
    }

    private static boolean onOrAfter(LocalDateTime when, LocalDateTime cutoff) {
        return when != null && !when.isBefore(cutoff);
    }

    private record Latest(LocalDate date, ActivityKind kind) {
    }

    /** Latest activity of any kind; on a tie the order of the export's column G legend wins. */
    private static Latest latestActivity(MemberActivity m) {
        Latest latest = new Latest(null, ActivityKind.NONE);
        latest = later(latest, m.lastVisit(), ActivityKind.VISIT);
        latest = later(latest, m.lastBookedAt(), ActivityKind.BOOKING);
        latest = later(latest, m.lastBookingStart(), ActivityKind.BOOKING);
        latest = later(latest, m.lastPurchase(), ActivityKind.PURCHASE);
        latest = later(latest, m.lastInstalmentDue() == null ? null : m.lastInstalmentDue().atStartOfDay(),
                ActivityKind.INSTALMENT);
        return latest;
    }

    private static Latest later(Latest current, LocalDateTime candidate, ActivityKind kind) {
        if (candidate == null) {
            return current;
        }
        LocalDate date = candidate.toLocalDate();
        return current.date == null || date.isAfter(current.date) ? new Latest(date, kind) : current;
    }
}
