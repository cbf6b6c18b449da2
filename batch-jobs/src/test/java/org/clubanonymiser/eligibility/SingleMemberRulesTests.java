package org.clubanonymiser.eligibility;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EligibilityRules#onRequest}: the single-member rules, with no inactivity period. Judged at 2026-03-31 10:00.
 */
class SingleMemberRulesTests {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 3, 31, 10, 0);

    private final EligibilityRules rules = new EligibilityRules();

    private static MemberActivity member(String status, BigDecimal balance, LocalDateTime lastVisit,
            LocalDateTime lastBookingStart, LocalDate lastInstalmentDue) {
        return new MemberActivity(7, status, NOW.minusDays(1), null, balance, lastVisit, NOW.minusDays(3),
                lastBookingStart, NOW.minusMinutes(1), lastInstalmentDue);
    }

    @Test
    void aMemberActiveUntilAMinuteAgoMayBeAnonymisedAtOnce() {
        assertThat(rules.onRequest(member("FORMER_CLIENT", BigDecimal.ZERO, NOW.minusMinutes(1), NOW.minusHours(2),
                NOW.toLocalDate().minusDays(1)), NOW)).isNull();
        assertThat(rules.onRequest(member("PROSPECT", null, null, null, null), NOW)).isNull();
    }

    @Test
    void eachRuleRefuses() {
        assertThat(rules.onRequest(member("CLIENT", null, null, null, null), NOW)).isEqualTo(Ineligibility.CLIENT);
        assertThat(rules.onRequest(member("PROSPECT", new BigDecimal("-0.01"), null, null, null), NOW))
            .isEqualTo(Ineligibility.DEBT);
        assertThat(rules.onRequest(member("PROSPECT", new BigDecimal("0.01"), null, null, null), NOW))
            .isEqualTo(Ineligibility.OVERPAYMENT);
        assertThat(rules.onRequest(member("PROSPECT", null, null, NOW.plusDays(2), null), NOW))
            .isEqualTo(Ineligibility.RECENT_BOOKING);
        assertThat(rules.onRequest(member("PROSPECT", null, null, null, NOW.toLocalDate()), NOW))
            .as("an instalment due today is still to fall due").isEqualTo(Ineligibility.RECENT_INSTALMENT);
        assertThat(rules.onRequest(member("PROSPECT", null, NOW, null, null), NOW))
            .as("a visit at the request's instant").isEqualTo(Ineligibility.RECENT_VISIT);
        MemberActivity anonymised = new MemberActivity(7, "ANONYMISED", NOW.minusYears(1), NOW.minusDays(1), null,
                null, null, null, null, null);
        assertThat(rules.onRequest(anonymised, NOW)).isEqualTo(Ineligibility.ALREADY_ANONYMISED);
    }
}
