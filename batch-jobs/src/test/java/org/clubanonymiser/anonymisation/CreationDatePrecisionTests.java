package org.clubanonymiser.anonymisation;

import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CreationDatePrecisionTests {

    private static final LocalDateTime CREATED = LocalDateTime.of(2019, 7, 23, 18, 42, 5, 123_000_000);

    @Test
    void truncatesToItsPrecisionAndIsIdempotent() {
        assertThat(CreationDatePrecision.EXACT.truncate(CREATED)).isEqualTo(CREATED);
        assertThat(CreationDatePrecision.DAY.truncate(CREATED)).isEqualTo(LocalDateTime.of(2019, 7, 23, 0, 0));
        assertThat(CreationDatePrecision.MONTH.truncate(CREATED)).isEqualTo(LocalDateTime.of(2019, 7, 1, 0, 0));
        assertThat(CreationDatePrecision.YEAR.truncate(CREATED)).isEqualTo(LocalDateTime.of(2019, 1, 1, 0, 0));
        for (CreationDatePrecision precision : CreationDatePrecision.values()) {
            assertThat(precision.truncate(precision.truncate(CREATED))).isEqualTo(precision.truncate(CREATED));
        }
    }

    @Test
    void groupsByTheFieldsOfItsPrecision() {
        assertThat(CreationDatePrecision.EXACT.groupKey("m.created_at")).containsExactly("m.created_at");
        assertThat(CreationDatePrecision.MONTH.groupKey("m.created_at")).containsExactly(
                "extract(year from m.created_at)", "extract(month from m.created_at)");
        assertThat(CreationDatePrecision.EXACT.finerThan("c")).isEqualTo("1 = 0");
        assertThat(CreationDatePrecision.YEAR.finerThan("c")).contains("extract(month from c) <> 1");
    }
}
