package org.clubanonymiser.demo;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.LongStream;

import org.clubanonymiser.eligibility.Eligibility;
import org.clubanonymiser.eligibility.EligibilityRules;
import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.eligibility.Ineligibility;
import org.clubanonymiser.eligibility.MemberActivity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoMemberGeneratorTests {

    static final LocalDate AS_OF = LocalDate.of(2026, 11, 29);

    final DemoMemberGenerator generator = new DemoMemberGenerator(42, AS_OF, DemoDirectory.clubs(3));

    final List<DemoMember> members = LongStream.rangeClosed(1, 5000).mapToObj(generator::generate).toList();

    @Test
    void sameSeedAndIdGiveTheSameMemberWhateverWasGeneratedBefore() {
        DemoMemberGenerator other = new DemoMemberGenerator(42, AS_OF, DemoDirectory.clubs(3));
        assertThat(other.generate(4321)).isEqualTo(members.get(4320));
        assertThat(new DemoMemberGenerator(43, AS_OF, DemoDirectory.clubs(3)).generate(4321))
            .isNotEqualTo(members.get(4320));
    }

    @Test
    void eligibilityAt36MonthsIsBetween20And35PercentWithEveryReason() {
        Map<Ineligibility, Integer> reasons = new EnumMap<>(Ineligibility.class);
        int eligible = 0;
        InactivityPeriod period = new InactivityPeriod(AS_OF, 36);
        EligibilityRules rules = new EligibilityRules();
        for (DemoMember member : members) {
            Eligibility verdict = rules.evaluate(activity(member), period);
            if (verdict.eligible()) {
                eligible++;
            }
            else {
                reasons.merge(verdict.reason(), 1, Integer::sum);
            }
        }
        System.out.println("eligible " + eligible + " " + reasons);
        for (int months : InactivityPeriod.ALLOWED_MONTHS) {
            InactivityPeriod p = new InactivityPeriod(AS_OF, months);
            System.out.println(months + ": " + members.stream().filter(m -> rules.evaluate(activity(m), p).eligible()).count());
        }
        System.out.println("visits " + members.stream().mapToInt(m -> m.visits().size()).sum()
            + " bookings " + members.stream().mapToInt(m -> m.bookings().size()).sum()
            + " purchases " + members.stream().mapToInt(m -> m.purchases().size()).sum()
            + " instalments " + members.stream().mapToInt(m -> m.instalments().size()).sum()
            + " invoices " + members.stream().mapToInt(m -> m.invoices().size()).sum()
            + " phones " + members.stream().mapToInt(m -> m.phones().size()).sum()
            + " badges " + members.stream().mapToInt(m -> m.badges().size()).sum());
        assertThat(eligible).isBetween(members.size() / 5, members.size() * 35 / 100);
        assertThat(reasons).containsOnlyKeys(Ineligibility.values());
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
