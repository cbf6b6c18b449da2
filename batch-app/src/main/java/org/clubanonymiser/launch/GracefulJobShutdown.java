package org.clubanonymiser.launch;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.clubanonymiser.support.execution.ExecutionHeartbeat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.ExitCodeEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * Turns a SIGTERM (Data Flow's or Kubernetes' stop, {@code kill <pid>}, Ctrl-C) into a Spring Batch stop at a chunk
 * boundary instead of a crash. The JVM's shutdown hook closes the Spring context; this lifecycle bean is stopped first
 * (highest phase, before the datasource and everything else are torn down) and marks every job execution this
 * process is running ({@link ExecutionHeartbeat#runningExecutions()}) STOPPING in the job repository (see
 * {@link #markStopping(long)} for why not {@link JobOperator#stop(long)}); Spring Batch's chunk-oriented step notices
 * it when it saves its state after the chunk in progress commits (the repository's update sets the step's
 * terminate-only flag), ends the step STOPPED, and the job STOPPED. A tasklet step stops once its tasklet returns. This bean then waits, at most
 * {@code anonymiser.shutdown.stop-timeout} (default 25 s, under the usual 30 s between SIGTERM and SIGKILL), for
 * each execution to be recorded in a final status; past it the close goes on and the execution may be left STARTED or
 * STOPPING, which the lease-based recovery ({@code ExecutionRecovery}) handles like a crash.
 * <p>
 * The process then exits with the JVM's code for a SIGTERM, 143 (128 + 15), never 0, and the same code is published
 * as an {@link ExitCodeEvent} so that Spring Cloud Task records it in {@code TASK_EXECUTION.EXIT_CODE} (it would record
 * 0 otherwise); relaunching the same command restarts the STOPPED execution after its last committed chunk. Thread-safe; stopping twice is harmless.
 */
class GracefulJobShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GracefulJobShutdown.class);

    private final ExecutionHeartbeat heartbeat;

    /** What the JVM exits with after a SIGTERM: 128 + 15. */
    static final int SIGTERM_EXIT_CODE = 143;

    private final JobRepository jobRepository;

    private final ApplicationEventPublisher events;

    private final Duration stopTimeout;

    private volatile boolean running;

    GracefulJobShutdown(ExecutionHeartbeat heartbeat, JobRepository jobRepository, ApplicationEventPublisher events,
            Duration stopTimeout) {
        this.heartbeat = heartbeat;
        this.events = events;
        this.jobRepository = jobRepository;
        this.stopTimeout = stopTimeout;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        try {
            Set<Long> stopping = new HashSet<>();
            for (long id : heartbeat.runningExecutions()) {
                if (markStopping(id)) {
                    stopping.add(id);
                    log.warn("Shutting down: job execution {} asked to stop after its current chunk", id);
                }
            }
            if (!stopping.isEmpty()) {
                // Before waiting: Spring Cloud Task records this code in TASK_EXECUTION (Data Flow shows it) when it
                // ends the task, which the main thread may do as soon as the job has stopped.
                events.publishEvent(new ExitCodeEvent(this, SIGTERM_EXIT_CODE));
            }
            awaitEnd(stopping);
        }
        finally {
            running = false;
        }
    }

    /**
     * Marks the execution STOPPING in the job repository, and nothing else. Not {@link JobOperator#stop(long)}: in
     * Spring Batch 6.0.6 it also writes the step executions it loaded (status STOPPED and their execution context)
     * from this thread, racing the running step, which may commit another chunk in between; the stale context then
     * makes the restart read that chunk again. The running step notices STOPPING itself, when the repository
     * synchronises the job's status at its next update, and stops after that chunk's commit.
     *
     * @return whether the execution was running and is now STOPPING
     */
    private boolean markStopping(long id) {
        for (int attempt = 1; attempt <= 5; attempt++) {
            JobExecution execution = jobRepository.getJobExecution(id);
            if (execution == null || !execution.getStatus().isRunning()) {
                return false;
            }
            if (execution.getStatus() == BatchStatus.STOPPING) {
                return true;
            }
            execution.setStatus(BatchStatus.STOPPING);
            try {
                jobRepository.update(execution);
                return true;
            }
            catch (OptimisticLockingFailureException ex) {
                // The job updated its execution meanwhile: read it again.
            }
        }
        log.warn("Shutting down: job execution {} could not be marked STOPPING", id);
        return false;
    }

    private void awaitEnd(Set<Long> executions) {
        long deadline = System.nanoTime() + stopTimeout.toNanos();
        Set<Long> waiting = new HashSet<>(executions);
        while (!waiting.isEmpty()) {
            waiting.removeIf(id -> {
                JobExecution execution = jobRepository.getJobExecution(id);
                return execution == null || !execution.getStatus().isRunning()
                        && !heartbeat.runningExecutions().contains(id);
            });
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                log.warn("Shutting down: job executions {} did not stop within {}s; a relaunch recovers them after"
                        + " the lease", waiting, stopTimeout.toSeconds());
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped before every other lifecycle bean (higher phases stop first). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
