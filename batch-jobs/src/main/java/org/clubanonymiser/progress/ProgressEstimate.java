package org.clubanonymiser.progress;

import java.time.Duration;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * One step's progress at one moment, and what follows from it: the rate and the estimated time left. Counts only.
 *
 * @param done        items done in all, earlier runs of a restarted step included
 * @param total       items the step has in all, or {@link #UNKNOWN}
 * @param doneThisRun items done by this run (the rate's numerator: earlier runs' items took no time here)
 * @param elapsed     time since this run of the step started
 */
public record ProgressEstimate(long done, long total, long doneThisRun, Duration elapsed) {

    /** A total not known (yet). */
    public static final long UNKNOWN = -1;

    /** Items per second in this run; 0 before any item or any time. */
    public double rate() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 || doneThisRun <= 0 ? 0 : doneThisRun / seconds;
    }

    /** The time left at this run's rate so far: empty while the total or the rate is unknown. */
    public OptionalDouble remainingSeconds() {
        if (total == UNKNOWN) {
            return OptionalDouble.empty();
        }
        if (done >= total) {
            return OptionalDouble.of(0);
        }
        double rate = rate();
        return rate <= 0 ? OptionalDouble.empty() : OptionalDouble.of((total - done) / rate);
    }

    /** Done as a fraction of the total, capped at 1; empty when the total is unknown. */
    public OptionalDouble fraction() {
        if (total == UNKNOWN) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(total == 0 ? 1 : Math.min(1, (double) done / total));
    }

    /**
     * The line a log shows, e.g. {@code 340,000 / 1,000,000 members (34.0%), 4,120 members/s, elapsed 1m 22s, about
     * 2m 40s left}.
     */
    public String describe(String unit) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%,d", done));
        if (total == UNKNOWN) {
            line.append(" / ? ").append(unit);
        }
        else {
            line.append(String.format(Locale.ROOT, " / %,d %s (%.1f%%)", total, unit, fraction().orElse(0) * 100));
        }
        line.append(String.format(Locale.ROOT, ", %,d %s/s, elapsed %s", Math.round(rate()), unit,
                duration(elapsed.toSeconds())));
        OptionalDouble remaining = remainingSeconds();
        line.append(remaining.isPresent()
                ? ", about " + duration(Math.round(Math.ceil(remaining.getAsDouble()))) + " left"
                : ", time left unknown");
        return line.toString();
    }

    /** {@code 0s}, {@code 42s}, {@code 3m 05s}, {@code 2h 07m 00s}. */
    static String duration(long seconds) {
        long s = Math.max(0, seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s % 3600 / 60, s % 60);
    }
}
