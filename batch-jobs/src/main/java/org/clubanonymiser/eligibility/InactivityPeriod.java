package org.clubanonymiser.eligibility;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.stream.IntStream;
import java.util.List;

/**
 * The reference date {@code asOf} and the minimum inactivity N (12, 18, … 84 months, as the seed's screen offers),
 * giving {@code cutoff = asOf - N calendar months} (a month end clamps: 2026-03-31 minus 1 month is 2026-02-28).
 * Activity on or after the cutoff's first instant counts; activity before it does not.
 */
public record InactivityPeriod(LocalDate asOf, int months) {

    public static final List<Integer> ALLOWED_MONTHS = IntStream.iterate(12, m -> m <= 84, m -> m + 6).boxed().toList();

    /** The threshold the seed's dashboard and the nightly export use by default. */
    public static final int DEFAULT_MONTHS = 36;

    public InactivityPeriod {
        if (asOf == null) {
            throw new IllegalArgumentException("asOf is required");
        }
        if (!isAllowed(months)) {
            throw new IllegalArgumentException(
                    "inactivityMonths must be one of " + ALLOWED_MONTHS + ", got " + months);
        }
    }

    public static boolean isAllowed(int months) {
        return months >= 12 && months <= 84 && months % 6 == 0;
    }

    public LocalDate cutoff() {
        return asOf.minusMonths(months);
    }

    /** The cutoff as the first instant of its day, to compare with timestamp columns. */
    public LocalDateTime cutoffStart() {
        return cutoff().atStartOfDay();
    }
}
