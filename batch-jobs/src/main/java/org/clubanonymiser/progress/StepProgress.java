package org.clubanonymiser.progress;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The progress of one running step execution (a partition's included): items done, the total when known, and when it
 * started. Written by the step's own thread ({@link #done(long)}, {@link #add(long)}, {@link #total(long)}), read by
 * the reporting thread and the gauges: every field is volatile or written once. Counts and ids only.
 */
public final class StepProgress {

    /** For code running outside a watched step: records nothing. */
    public static final StepProgress NONE = new StepProgress("", 0, "", "items", 0, () -> 0);

    private final String jobName;

    private final long jobExecutionId;

    private final String stepName;

    private final String unit;

    private final long baseline;

    private final LongSupplier nanoClock;

    private final long startNanos;

    private volatile long doneThisRun;

    private volatile long total = ProgressEstimate.UNKNOWN;

    private volatile long endNanos = -1;

    StepProgress(String jobName, long jobExecutionId, String stepName, String unit, long baseline,
            LongSupplier nanoClock) {
        this.jobName = jobName;
        this.jobExecutionId = jobExecutionId;
        this.stepName = stepName;
        this.unit = unit;
        this.baseline = baseline;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    /** Sets the items this run has done (from the step thread only). */
    public void done(long doneThisRun) {
        if (this != NONE) {
            this.doneThisRun = doneThisRun;
        }
    }

    /** Adds items this run has done (from the step thread only). */
    public void add(long items) {
        if (this != NONE) {
            this.doneThisRun += items;
        }
    }

    /** The step's total number of items, once known. */
    public void total(long total) {
        if (this != NONE) {
            this.total = total;
        }
    }

    void finished() {
        this.endNanos = nanoClock.getAsLong();
    }

    boolean isRunning() {
        return endNanos < 0;
    }

    ProgressEstimate estimate() {
        long end = isRunning() ? nanoClock.getAsLong() : endNanos;
        return new ProgressEstimate(baseline + doneThisRun, total, doneThisRun, Duration.ofNanos(end - startNanos));
    }

    String jobName() {
        return jobName;
    }

    long jobExecutionId() {
        return jobExecutionId;
    }

    /** The step execution's name: a partition's is {@code <step>:<partition>}. */
    String stepName() {
        return stepName;
    }

    /** The step's own name, without a partition's suffix: what the gauges are tagged with. */
    String baseStepName() {
        int partition = stepName.indexOf(':');
        return partition < 0 ? stepName : stepName.substring(0, partition);
    }

    String unit() {
        return unit;
    }
}
