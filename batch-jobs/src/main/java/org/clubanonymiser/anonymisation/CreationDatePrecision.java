package org.clubanonymiser.anonymisation;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * How precisely an anonymised member's {@code member.created_at} is kept ({@code anonymiser.privacy.creation-date-precision}).
 * The creation date is kept after anonymisation (statistics: members by joining year), and with the club it is the
 * quasi-identifier most likely to single out a person; truncating it makes each anonymised member one of a larger
 * group. {@link #EXACT} keeps it as stored.
 */
public enum CreationDatePrecision {

    /** As stored (to the second). */
    EXACT,
    /** The day, at midnight. */
    DAY,
    /** The first day of the month, at midnight. */
    MONTH,
    /** The first of January, at midnight. */
    YEAR;

    /** The value kept at this precision; idempotent. */
    public LocalDateTime truncate(LocalDateTime value) {
        return switch (this) {
            case EXACT -> value;
            case DAY -> value.truncatedTo(ChronoUnit.DAYS);
            case MONTH -> value.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            case YEAR -> value.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
        };
    }

    /**
     * The SQL expressions (portable: ANSI {@code extract}, as on H2, PostgreSQL and Oracle) that a {@code group by}
     * over {@code <alias>.created_at} at this precision lists.
     */
    public List<String> groupKey(String column) {
        String year = "extract(year from " + column + ")";
        String month = "extract(month from " + column + ")";
        String day = "extract(day from " + column + ")";
        return switch (this) {
            case EXACT -> List.of(column);
            case DAY -> List.of(year, month, day);
            case MONTH -> List.of(year, month);
            case YEAR -> List.of(year);
        };
    }

    /**
     * A portable SQL condition true when {@code column} holds more than this precision (a time of day, a day of
     * month, a month): a value not generalised to it. Always false for {@link #EXACT}.
     */
    public String finerThan(String column) {
        String time = "extract(hour from " + column + ") <> 0 or extract(minute from " + column
                + ") <> 0 or extract(second from " + column + ") <> 0";
        return switch (this) {
            case EXACT -> "1 = 0";
            case DAY -> "(" + time + ")";
            case MONTH -> "(" + time + " or extract(day from " + column + ") <> 1)";
            case YEAR -> "(" + time + " or extract(day from " + column + ") <> 1 or extract(month from " + column
                    + ") <> 1)";
        };
    }
}
