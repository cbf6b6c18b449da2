package org.clubanonymiser.web;

import java.time.Duration;

import static org.assertj.core.api.Assertions.fail;

/**
 * Holds a running job at a chosen chunk, so that a test sees it mid-run without sleeping: the job's hook calls
 * {@link #arrive()} before each chunk; {@link #holdAt(int)} arms the pause for the n-th call from now; the test
 * {@link #awaitHeld(Duration)}s, looks, then {@link #release()}s (or re-arms and releases at once). The job is never
 * held longer than {@link #MAX_HOLD} (a failed test must not leave a job thread hanging). Thread-safe.
 */
public final class StepPause {

    static final Duration MAX_HOLD = Duration.ofMinutes(5);

    private int arrivalsUntilHold = -1;

    private boolean holding;

    /** Called by the job's thread before each chunk. */
    public synchronized void arrive() {
        if (arrivalsUntilHold < 0 || --arrivalsUntilHold > 0) {
            return;
        }
        arrivalsUntilHold = -1;
        holding = true;
        notifyAll();
        long deadline = System.nanoTime() + MAX_HOLD.toNanos();
        try {
            while (holding && System.nanoTime() < deadline) {
                wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        holding = false;
    }

    /** Holds the job at the {@code arrivals}-th chunk from now (1: the next one). */
    public synchronized void holdAt(int arrivals) {
        arrivalsUntilHold = arrivals;
    }

    /** Lets the held job go on, to be held again at the {@code arrivals}-th chunk after it. */
    public synchronized void releaseAndHoldAt(int arrivals) {
        arrivalsUntilHold = arrivals;
        release();
    }

    public synchronized void release() {
        holding = false;
        notifyAll();
    }

    /** Disarms the pause and lets a held job go: after each test. */
    public synchronized void reset() {
        arrivalsUntilHold = -1;
        release();
    }

    public synchronized void awaitHeld(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!holding) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("The job was not held at the expected chunk within " + timeout);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
