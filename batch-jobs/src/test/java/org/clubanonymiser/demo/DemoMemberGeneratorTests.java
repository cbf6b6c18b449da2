package org.clubanonymiser.demo;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.clubanonymiser.eligibility.Eligibility;
import org.clubanonymiser.eligibility.EligibilityRules;
import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.eligibility.Ineligibility;
import org.clubanonymiser.eligibility.MemberActivity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator alone, over 5000 members, judged by the product's own eligibility rules. */
class DemoMemberGeneratorTests {

    static final LocalDate AS_OF = LocalDate.of(2026, 11, 29);

    static final LocalDateTime AS_OF_START = AS_OF.atStartOfDay();

    final DemoMemberGenerator generator = new DemoMemberGenerator(42, AS_OF, DemoDirectory.clubs(3));

    final List<DemoMember> members = LongStream.rangeClosed(1, 5000).mapToObj(generator::generate).toList();

    final EligibilityRules rules = new EligibilityRules();

    @Test
    void aMemberDependsOnlyOnSeedAsOfAndIdNotOnWhatWasGeneratedBefore() {
        DemoMemberGenerator other = new DemoMemberGenerator(42, AS_OF, DemoDirectory.clubs(3));
        assertThat(other.generate(4321)).isEqualTo(members.get(4320));
        assertThat(new DemoMemberGenerator(43, AS_OF, DemoDirectory.clubs(3)).generate(4321))
            .isNotEqualTo(members.get(4320));
        assertThat(new DemoMemberGenerator(42, AS_OF.plusDays(1), DemoDirectory.clubs(3)).generate(4321))
            .isNotEqualTo(members.get(4320));
    }

    @Test
    void eligibilityAt36MonthsIsBetween20And35PercentWithEveryReasonIncludingFutureActivity() {
        InactivityPeriod period = new InactivityPeriod(AS_OF, 36);
        Map<Ineligibility, Integer> reasons = new EnumMap<>(Ineligibility.class);
        int eligible = 0;
        boolean futureBooking = false;
        boolean futureInstalment = false;
        for (DemoMember member : members) {
            MemberActivity activity = activity(member);
            Eligibility verdict = rules.evaluate(activity, period);
            if (verdict.eligible()) {
                eligible++;
                continue;
            }
            reasons.merge(verdict.reason(), 1, Integer::sum);
            futureBooking |= verdict.reason() == Ineligibility.RECENT_BOOKING
                    && activity.lastBookingStart().isAfter(AS_OF_START);
            futureInstalment |= verdict.reason() == Ineligibility.RECENT_INSTALMENT
                    && activity.lastInstalmentDue().isAfter(AS_OF);
        }

        assertThat(eligible).isBetween(members.size() * 20 / 100, members.size() * 35 / 100);
        assertThat(reasons).containsOnlyKeys(Ineligibility.values());
        assertThat(reasons.values()).allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(20));
        assertThat(futureBooking).isTrue();
        assertThat(futureInstalment).isTrue();
    }

    @Test
    void theLongerTheInactivityTheFewerEligibleButNeverNone() {
        List<Long> eligibleByMonths = new ArrayList<>();
        for (int months : InactivityPeriod.ALLOWED_MONTHS) {
            InactivityPeriod period = new InactivityPeriod(AS_OF, months);
            eligibleByMonths.add(members.stream().filter(m -> rules.evaluate(activity(m), period).eligible()).count());
        }
        assertThat(eligibleByMonths).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(eligibleByMonths.get(eligibleByMonths.size() - 1)).isPositive();
        assertThat(eligibleByMonths.get(0)).isLessThan(members.size() / 2);
    }

    @Test
    void datesStayWithinTheirHistoryRelativeToAsOf() {
        for (DemoMember m : members) {
            LocalDateTime created = m.member().createdAt();
            assertThat(created).isBefore(AS_OF_START).isAfterOrEqualTo(AS_OF_START.minusYears(10));
            assertThat(m.visits()).allSatisfy(v -> assertThat(v.visitedAt()).isBefore(AS_OF_START)
                .isAfterOrEqualTo(AS_OF_START.minusYears(8))
                .isAfterOrEqualTo(created.toLocalDate().atStartOfDay()));
            assertThat(m.visits()).extracting(DemoMember.VisitRow::visitedAt).isSorted();
            assertThat(m.bookings()).allSatisfy(b -> {
                assertThat(b.bookedAt()).isBefore(AS_OF_START);
                assertThat(b.startsAt()).isAfter(b.bookedAt());
                assertThat(b.status().equals("BOOKED")).isEqualTo(!b.startsAt().isBefore(AS_OF_START));
            });
            assertThat(m.purchases()).allSatisfy(p -> assertThat(p.purchasedAt()).isBefore(AS_OF_START));
            assertThat(m.instalments()).allSatisfy(
                    i -> assertThat(i.status()).isEqualTo(i.dueDate().isBefore(AS_OF) ? "PAID" : "SCHEDULED"));
            assertThat(m.consents()).allSatisfy(c -> assertThat(c.updatedAt()).isBefore(AS_OF_START));
            if (m.member().birthDate() != null) {
                assertThat(m.member().birthDate()).isBefore(created.toLocalDate().minusYears(16));
            }
        }
    }

    @Test
    void rowsAreBoundedAndKeysUniqueAcrossMembers() {
        assertThat(members).allSatisfy(m -> {
            assertThat(m.consents()).extracting(DemoMember.ConsentRow::channel)
                .containsExactly("EMAIL", "SMS", "POST", "PHONE", "PARTNERS");
            assertThat(m.phones()).hasSizeLessThanOrEqualTo(3);
            assertThat(m.badges()).hasSizeLessThanOrEqualTo(2);
            assertThat(m.visits().size() + m.bookings().size() + m.purchases().size() + m.instalments().size())
                .isLessThan((int) DemoMember.CHILD_IDS_PER_MEMBER);
        });
        assertThat(members).flatExtracting(DemoMember::badges).extracting(DemoMember.BadgeRow::badgeNumber)
            .doesNotHaveDuplicates();
        assertThat(members).flatExtracting(DemoMember::invoices).extracting(DemoMember.InvoiceRow::invoiceNumber)
            .doesNotHaveDuplicates();
        assertThat(members).flatExtracting(DemoMember::visits).extracting(DemoMember.VisitRow::id)
            .doesNotHaveDuplicates();
        assertThat(members).extracting(m -> m.member().memberNumber()).doesNotHaveDuplicates()
            .startsWith("M0000001", "M0000002");
        assertThat(members).extracting(m -> m.member().clubId()).startsWith(1L, 2L, 3L, 1L);
        assertThat(IntStream.range(0, 200_000).mapToObj(i -> DemoMemberGenerator.badgeNumber(i / 10 + 4_999_000, i % 10)))
            .doesNotHaveDuplicates();
    }

    @Test
    void identitiesLookFrenchAndMailsCanNeverBeDelivered() {
        List<DemoMember> identified = members.stream().filter(m -> m.member().anonymisedAt() == null).toList();
        assertThat(identified).extracting(m -> m.member().lastName()).contains("Martin", "Lefèvre", "Le Gall");
        assertThat(identified).extracting(m -> m.member().email()).filteredOn(e -> e != null)
            .allSatisfy(email -> assertThat(email)
                .matches("[a-z-]+\\.[a-z-]+[0-9]{0,2}@(example\\.(com|net|org)|exemple\\.test|courriel\\.test|mail\\.example)"))
            .hasSizeGreaterThan(identified.size() * 85 / 100);
        assertThat(identified).extracting(DemoMember::address).filteredOn(a -> a != null)
            .allSatisfy(a -> assertThat(a.postcode()).matches("[0-9]{5}"));
    }

    @Test
    void anonymisedMembersLookAsTheImportLeavesThem() {
        List<DemoMember> anonymised = members.stream().filter(m -> m.member().anonymisedAt() != null).toList();

        assertThat(anonymised).hasSizeBetween(members.size() / 100, members.size() * 3 / 100).allSatisfy(m -> {
            assertThat(m.member()).extracting("status", "firstName", "lastName", "email", "birthDate", "notes",
                    "salesBlocked", "bookingsBlocked")
                .containsExactly("ANONYMISED", "No", "No", null, null, null, true, true);
            assertThat(m.phones()).isEmpty();
            assertThat(m.consents()).noneMatch(DemoMember.ConsentRow::granted);
            assertThat(m.badges()).allSatisfy(b -> {
                assertThat(b.status()).isEqualTo("RETIRED");
                assertThat(b.retiredAt()).isEqualTo(m.member().anonymisedAt());
            });
            assertThat(m.balance()).isNull();
            assertThat(m.ledger().anonymisedAt()).isEqualTo(m.member().anonymisedAt());
            // They were eligible at 36 months when the past mass anonymisation ran.
            LocalDate previousRun = DemoMemberGenerator.previousRun(AS_OF).toLocalDate();
            MemberActivity before = activity(m);
            MemberActivity atTheTime = new MemberActivity(before.memberId(), "FORMER_CLIENT", before.createdAt(),
                    null, before.balance(), before.lastVisit(), before.lastBookedAt(), before.lastBookingStart(),
                    before.lastPurchase(), before.lastInstalmentDue());
            assertThat(rules.evaluate(atTheTime, new InactivityPeriod(previousRun, 36)).eligible()).isTrue();
        });
    }

    static MemberActivity activity(DemoMember m) {
        return new MemberActivity(m.id(), m.member().status(), m.member().createdAt(), m.member().anonymisedAt(),
                m.balance(), latest(m.visits(), DemoMember.VisitRow::visitedAt),
                latest(m.bookings(), DemoMember.BookingRow::bookedAt),
                latest(m.bookings(), DemoMember.BookingRow::startsAt),
                latest(m.purchases(), DemoMember.PurchaseRow::purchasedAt),
                m.instalments().stream().map(DemoMember.InstalmentRow::dueDate).max(LocalDate::compareTo).orElse(null));
    }

    static <T> LocalDateTime latest(List<T> rows, Function<T, LocalDateTime> date) {
        return rows.stream().map(date).max(LocalDateTime::compareTo).orElse(null);
    }
}
