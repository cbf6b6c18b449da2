package org.clubanonymiser.eligibility;

import java.time.LocalDate;
import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class InactivityPeriodTests {

    private static final LocalDate AS_OF = LocalDate.of(2026, 3, 31);

    @Test
    void allowedMonthsAreTwelveToEightyFourByStepsOfSix() {
        assertThat(InactivityPeriod.ALLOWED_MONTHS).containsExactly(12, 18, 24, 30, 36, 42, 48, 54, 60, 66, 72, 78,
                84);
        assertThat(InactivityPeriod.ALLOWED_MONTHS).allMatch(InactivityPeriod::isAllowed);
        assertThat(InactivityPeriod.DEFAULT_MONTHS).isIn(InactivityPeriod.ALLOWED_MONTHS);
    }

    @ParameterizedTest
    @ValueSource(ints = { -12, 0, 1, 6, 11, 13, 17, 19, 83, 85, 90, 120 })
    void refusesAnyOtherMonths(int months) {
        assertThat(InactivityPeriod.isAllowed(months)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> new InactivityPeriod(AS_OF, months))
            .withMessageContaining("inactivityMonths must be one of")
            .withMessageContaining(Integer.toString(months));
    }

    @Test
    void refusesAMissingAsOf() {
        assertThatIllegalArgumentException().isThrownBy(() -> new InactivityPeriod(null, 12))
            .withMessageContaining("asOf");
    }

    @ParameterizedTest(name = "{0} minus {1} months = {2}")
    @CsvSource({
            "2026-03-31, 12, 2025-03-31",
            "2026-03-31, 18, 2024-09-30",
            "2026-03-31, 24, 2024-03-31",
            "2026-03-31, 30, 2023-09-30",
            "2026-03-31, 84, 2019-03-31",
            "2026-08-31, 18, 2025-02-28",
            "2024-02-29, 12, 2023-02-28",
            "2028-02-29, 48, 2024-02-29",
            "2026-01-01, 12, 2025-01-01",
            "2026-12-31, 66, 2021-06-30" })
    void cutoffIsAsOfMinusCalendarMonthsClampedAtMonthEnd(LocalDate asOf, int months, LocalDate cutoff) {
        InactivityPeriod period = new InactivityPeriod(asOf, months);
        assertThat(period.cutoff()).isEqualTo(cutoff);
        assertThat(period.cutoffStart()).isEqualTo(cutoff.atStartOfDay());
    }

    @Test
    void cutoffStartIsTheFirstInstantOfTheCutoffDay() {
        assertThat(new InactivityPeriod(AS_OF, 36).cutoffStart()).isEqualTo(LocalDateTime.of(2023, 3, 31, 0, 0));
    }
}
