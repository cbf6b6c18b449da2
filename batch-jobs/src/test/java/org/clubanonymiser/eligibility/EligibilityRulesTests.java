package org.clubanonymiser.eligibility;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The eligibility rules (docs/reference.md#eligibility), criterion by criterion, with the boundaries. asOf 2026-03-31,
 * 12 months: cutoff 2025-03-31, first instant 2025-03-31T00:00.
 */
class EligibilityRulesTests {

    private static final LocalDate AS_OF = LocalDate.of(2026, 3, 31);

    private static final InactivityPeriod PERIOD = new InactivityPeriod(AS_OF, 12);

    private static final LocalDateTime CUTOFF = LocalDateTime.of(2025, 3, 31, 0, 0);

    private static final LocalDateTime LONG_AGO = LocalDateTime.of(2020, 1, 15, 9, 30);

    private final EligibilityRules rules = new EligibilityRules();

    /** An old prospect with no activity, no account row: eligible. Each test changes one thing. */
    private static Member member() {
        return new Member("PROSPECT", LONG_AGO, null, null, null, null, null, null, null);
    }

    private record Member(String status, LocalDateTime createdAt, LocalDateTime anonymisedAt, BigDecimal balance,
            LocalDateTime lastVisit, LocalDateTime lastBookedAt, LocalDateTime lastBookingStart,
            LocalDateTime lastPurchase, LocalDate lastInstalmentDue) {

        MemberActivity activity() {
            return new MemberActivity(42, status, createdAt, anonymisedAt, balance, lastVisit, lastBookedAt,
                    lastBookingStart, lastPurchase, lastInstalmentDue);
        }

        Member status(String value) {
            return new Member(value, createdAt, anonymisedAt, balance, lastVisit, lastBookedAt, lastBookingStart,
                    lastPurchase, lastInstalmentDue);
        }

        Member createdAt(LocalDateTime value) {
            return new Member(status, value, anonymisedAt, balance, lastVisit, lastBookedAt, lastBookingStart,
                    lastPurchase, lastInstalmentDue);
        }

        Member anonymisedAt(LocalDateTime value) {
            return new Member(status, createdAt, value, balance, lastVisit, lastBookedAt, lastBookingStart,
                    lastPurchase, lastInstalmentDue);
        }

        Member balance(String value) {
            return new Member(status, createdAt, anonymisedAt, value == null ? null : new BigDecimal(value),
                    lastVisit, lastBookedAt, lastBookingStart, lastPurchase, lastInstalmentDue);
        }

        Member visit(LocalDateTime value) {
            return new Member(status, createdAt, anonymisedAt, balance, value, lastBookedAt, lastBookingStart,
                    lastPurchase, lastInstalmentDue);
        }

        Member booking(LocalDateTime bookedAt, LocalDateTime startsAt) {
            return new Member(status, createdAt, anonymisedAt, balance, lastVisit, bookedAt, startsAt, lastPurchase,
                    lastInstalmentDue);
        }

        Member purchase(LocalDateTime value) {
            return new Member(status, createdAt, anonymisedAt, balance, lastVisit, lastBookedAt, lastBookingStart,
                    value, lastInstalmentDue);
        }

        Member instalment(LocalDate value) {
            return new Member(status, createdAt, anonymisedAt, balance, lastVisit, lastBookedAt, lastBookingStart,
                    lastPurchase, value);
        }
    }

    private Eligibility judge(Member member) {
        return rules.evaluate(member.activity(), PERIOD);
    }

    private Eligibility judge(Member member, InactivityPeriod period) {
        return rules.evaluate(member.activity(), period);
    }

    @Test
    void anOldProspectWithoutAnyActivityIsEligible() {
        Eligibility verdict = judge(member());
        assertThat(verdict.eligible()).isTrue();
        assertThat(verdict.reason()).isNull();
        assertThat(verdict.lastActivity()).isNull();
        assertThat(verdict.lastActivityKind()).isEqualTo(ActivityKind.NONE);
    }

    @Nested
    class Visits {

        @Test
        void aVisitExactlyAtTheCutoffIsActivity() {
            assertThat(judge(member().visit(CUTOFF)).reason()).isEqualTo(Ineligibility.RECENT_VISIT);
        }

        @Test
        void aVisitLaterOnTheCutoffDayIsActivity() {
            assertThat(judge(member().visit(CUTOFF.plusHours(18))).reason()).isEqualTo(Ineligibility.RECENT_VISIT);
        }

        @Test
        void aVisitOneDayBeforeTheCutoffIsNot() {
            assertThat(judge(member().visit(CUTOFF.minusDays(1))).eligible()).isTrue();
        }

        @Test
        void aVisitOneSecondBeforeTheCutoffIsNot() {
            assertThat(judge(member().visit(CUTOFF.minusSeconds(1))).eligible()).isTrue();
        }
    }

    @Nested
    class Bookings {

        @Test
        void aBookingMadeAtTheCutoffIsActivity() {
            assertThat(judge(member().booking(CUTOFF, CUTOFF.plusDays(3))).reason())
                .isEqualTo(Ineligibility.RECENT_BOOKING);
        }

        @Test
        void aFutureBookingMadeLongAgoIsActivity() {
            Eligibility verdict = judge(member().booking(LONG_AGO, LocalDateTime.of(2026, 5, 2, 18, 0)));
            assertThat(verdict.reason()).isEqualTo(Ineligibility.RECENT_BOOKING);
            assertThat(verdict.lastActivity()).isEqualTo(LocalDate.of(2026, 5, 2));
            assertThat(verdict.lastActivityKind()).isEqualTo(ActivityKind.BOOKING);
        }

        @Test
        void aBookingStartingAtTheCutoffIsActivity() {
            assertThat(judge(member().booking(LONG_AGO, CUTOFF)).reason()).isEqualTo(Ineligibility.RECENT_BOOKING);
        }

        @Test
        void aBookingMadeAndHeldOneDayBeforeTheCutoffIsNot() {
            assertThat(judge(member().booking(CUTOFF.minusDays(5), CUTOFF.minusDays(1))).eligible()).isTrue();
        }
    }

    @Nested
    class Purchases {

        @Test
        void aPurchaseAtTheCutoffIsActivity() {
            assertThat(judge(member().purchase(CUTOFF)).reason()).isEqualTo(Ineligibility.RECENT_PURCHASE);
        }

        @Test
        void aPurchaseOneDayBeforeTheCutoffIsNot() {
            assertThat(judge(member().purchase(CUTOFF.minusDays(1))).eligible()).isTrue();
        }
    }

    @Nested
    class Instalments {

        @Test
        void anInstalmentDueOnTheCutoffDayIsActivity() {
            assertThat(judge(member().instalment(CUTOFF.toLocalDate())).reason())
                .isEqualTo(Ineligibility.RECENT_INSTALMENT);
        }

        @Test
        void aFutureInstalmentIsActivity() {
            Eligibility verdict = judge(member().instalment(LocalDate.of(2026, 6, 5)));
            assertThat(verdict.reason()).isEqualTo(Ineligibility.RECENT_INSTALMENT);
            assertThat(verdict.lastActivityKind()).isEqualTo(ActivityKind.INSTALMENT);
        }

        @Test
        void anInstalmentDueOneDayBeforeTheCutoffIsNot() {
            assertThat(judge(member().instalment(CUTOFF.toLocalDate().minusDays(1))).eligible()).isTrue();
        }
    }

    @Nested
    class Creation {

        @Test
        void createdExactlyAtTheCutoffIsNotInactive() {
            assertThat(judge(member().createdAt(CUTOFF)).reason()).isEqualTo(Ineligibility.CREATED_AFTER_CUTOFF);
        }

        @Test
        void createdAfterTheCutoffIsNotInactive() {
            assertThat(judge(member().createdAt(LocalDateTime.of(2026, 2, 20, 10, 0))).reason())
                .isEqualTo(Ineligibility.CREATED_AFTER_CUTOFF);
        }

        @Test
        void createdOneDayBeforeTheCutoffIsInactive() {
            assertThat(judge(member().createdAt(CUTOFF.minusDays(1))).eligible()).isTrue();
        }

        @Test
        void createdOneSecondBeforeTheCutoffIsInactive() {
            assertThat(judge(member().createdAt(CUTOFF.minusSeconds(1))).eligible()).isTrue();
        }
    }

    @Nested
    class Balance {

        @Test
        void aDebtOfOneCentIsNotEligible() {
            assertThat(judge(member().balance("-0.01")).reason()).isEqualTo(Ineligibility.DEBT);
        }

        @Test
        void anOverpaymentOfOneCentIsNotEligible() {
            assertThat(judge(member().balance("0.01")).reason()).isEqualTo(Ineligibility.OVERPAYMENT);
        }

        @Test
        void aZeroBalanceIsEligible() {
            assertThat(judge(member().balance("0.00")).eligible()).isTrue();
            assertThat(judge(member().balance("0")).eligible()).isTrue();
        }

        @Test
        void noAccountRowCountsAsZero() {
            assertThat(judge(member().balance(null)).eligible()).isTrue();
        }
    }

    @Nested
    class Status {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
                "PROSPECT, ",
                "FORMER_CLIENT, ",
                "CLIENT, CLIENT",
                "ANONYMISED, ALREADY_ANONYMISED" })
        void onlyProspectsAndFormerClientsAreEligible(String status, Ineligibility reason) {
            Eligibility verdict = judge(member().status(status));
            assertThat(verdict.reason()).isEqualTo(reason);
            assertThat(verdict.eligible()).isEqualTo(reason == null);
        }

        @Test
        void anAnonymisationDateMeansAlreadyAnonymisedWhateverTheStatus() {
            assertThat(judge(member().status("FORMER_CLIENT").anonymisedAt(LONG_AGO.plusYears(1))).reason())
                .isEqualTo(Ineligibility.ALREADY_ANONYMISED);
        }

        @Test
        void aClientIsNeverEligibleEvenWhenInactive() {
            assertThat(judge(member().status("CLIENT").balance("0")).reason()).isEqualTo(Ineligibility.CLIENT);
        }

        @Test
        void theFirstFailingRuleIsReported() {
            assertThat(judge(member().status("CLIENT").balance("-5.00").visit(CUTOFF)).reason())
                .isEqualTo(Ineligibility.CLIENT);
            assertThat(judge(member().balance("-5.00").visit(CUTOFF)).reason()).isEqualTo(Ineligibility.DEBT);
        }
    }

    @Nested
    class LastActivity {

        @Test
        void theLatestActivityOfAnyKindWins() {
            Eligibility verdict = judge(member().visit(LocalDateTime.of(2023, 5, 1, 8, 0))
                .purchase(LocalDateTime.of(2024, 2, 10, 12, 0))
                .booking(LocalDateTime.of(2022, 1, 1, 9, 0), LocalDateTime.of(2022, 1, 3, 9, 0))
                .instalment(LocalDate.of(2023, 12, 5)));
            assertThat(verdict.eligible()).isTrue();
            assertThat(verdict.lastActivity()).isEqualTo(LocalDate.of(2024, 2, 10));
            assertThat(verdict.lastActivityKind()).isEqualTo(ActivityKind.PURCHASE);
            assertThat(verdict.monthsInactive()).isEqualTo(25);
        }

        @Test
        void aTieOnTheSameDayGoesToTheFirstKindOfTheLegend() {
            Eligibility verdict = judge(member().purchase(LocalDateTime.of(2024, 2, 10, 18, 0))
                .visit(LocalDateTime.of(2024, 2, 10, 8, 0)));
            assertThat(verdict.lastActivityKind()).isEqualTo(ActivityKind.VISIT);
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({ "VISIT", "BOOKING", "PURCHASE", "INSTALMENT" })
        void eachKindIsReported(ActivityKind kind) {
            LocalDateTime when = LocalDateTime.of(2024, 6, 1, 10, 0);
            Member member = switch (kind) {
                case VISIT -> member().visit(when);
                case BOOKING -> member().booking(when.minusDays(2), when);
                case PURCHASE -> member().purchase(when);
                case INSTALMENT -> member().instalment(when.toLocalDate());
                case NONE -> member();
            };
            Eligibility verdict = judge(member);
            assertThat(verdict.lastActivityKind()).isEqualTo(kind);
            assertThat(verdict.lastActivity()).isEqualTo(LocalDate.of(2024, 6, 1));
        }
    }

    @Nested
    class MonthsInactive {

        @ParameterizedTest(name = "last activity {0} -> {1} months at 2026-03-31")
        @CsvSource({
                "2026-02-28, 1",
                "2026-03-01, 0",
                "2026-02-27, 1",
                "2026-01-31, 2",
                "2025-04-01, 11",
                "2025-03-31, 12",
                "2025-03-30, 12",
                "2019-03-31, 84" })
        void wholeMonthsFromTheLastActivityToAsOf(LocalDate lastActivity, int months) {
            assertThat(judge(member().visit(lastActivity.atTime(10, 0))).monthsInactive()).isEqualTo(months);
        }

        @Test
        void withoutActivityTheyCountFromCreation() {
            Eligibility verdict = judge(member().createdAt(LocalDateTime.of(2022, 9, 30, 23, 0)));
            assertThat(verdict.lastActivity()).isNull();
            assertThat(verdict.monthsInactive()).isEqualTo(42);
        }

        @Test
        void aFutureActivityCountsAsZeroMonths() {
            assertThat(judge(member().instalment(LocalDate.of(2026, 9, 1))).monthsInactive()).isZero();
        }

        @Test
        void monthEndAsOfAndLongerPeriodsUseTheClampedCutoff() {
            InactivityPeriod eighteen = new InactivityPeriod(LocalDate.of(2026, 8, 31), 18);
            LocalDateTime cutoff = LocalDateTime.of(2025, 2, 28, 0, 0);
            assertThat(judge(member().visit(cutoff), eighteen).reason()).isEqualTo(Ineligibility.RECENT_VISIT);
            assertThat(judge(member().visit(cutoff.minusSeconds(1)), eighteen).eligible()).isTrue();
        }
    }

    /** The standing alone: what a reader may judge a member on without reading their activity. */
    @Nested
    class Standing {

        private Ineligibility standing(Member member) {
            return rules.standing(member.activity(), PERIOD);
        }

        @Test
        void anOldProspectWithZeroBalanceLeavesItToTheActivity() {
            assertThat(standing(member())).isNull();
            assertThat(standing(member().status("FORMER_CLIENT").balance("0.00"))).isNull();
            // Activity is not part of the standing: a recent visit is for evaluate() to find.
            assertThat(standing(member().visit(CUTOFF.plusDays(1)))).isNull();
        }

        @Test
        void eachStandingRuleFailsAloneAndInTheOrderEvaluateReportsThem() {
            assertThat(standing(member().anonymisedAt(LONG_AGO))).isEqualTo(Ineligibility.ALREADY_ANONYMISED);
            assertThat(standing(member().status("ANONYMISED"))).isEqualTo(Ineligibility.ALREADY_ANONYMISED);
            assertThat(standing(member().status("CLIENT").balance("-5"))).isEqualTo(Ineligibility.CLIENT);
            assertThat(standing(member().balance("-0.01"))).isEqualTo(Ineligibility.DEBT);
            assertThat(standing(member().balance("12.50"))).isEqualTo(Ineligibility.OVERPAYMENT);
            assertThat(standing(member().balance("3").createdAt(CUTOFF))).isEqualTo(Ineligibility.OVERPAYMENT);
            assertThat(standing(member().createdAt(CUTOFF))).isEqualTo(Ineligibility.CREATED_AFTER_CUTOFF);
        }

        @Test
        void aFailedStandingIsTheVerdictWhateverTheActivity() {
            Member recentlyActive = member().visit(CUTOFF.plusDays(1)).purchase(CUTOFF.plusDays(2));
            for (Member member : new Member[] { recentlyActive.status("CLIENT"), recentlyActive.balance("-1"),
                recentlyActive.createdAt(CUTOFF), recentlyActive.anonymisedAt(LONG_AGO) }) {
                assertThat(judge(member).reason()).isEqualTo(standing(member)).isNotNull();
                assertThat(judge(member.visit(null).purchase(null)).reason()).isEqualTo(standing(member));
            }
        }
    }
}
