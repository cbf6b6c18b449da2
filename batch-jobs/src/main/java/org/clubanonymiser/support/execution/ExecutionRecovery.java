package org.clubanonymiser.support.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Makes a crashed execution restartable. A process killed mid-job leaves its execution STARTED, which
 * Spring Batch refuses to restart. Before a launch, the last execution of the same job instance is looked at: if it
 * still looks running but its last sign of life (heartbeat, step or job {@code LAST_UPDATED}) is older than
 * {@code anonymiser.recovery.lease}, it is marked FAILED with {@link JobOperator#recover(JobExecution)} so the launch
 * restarts it; if it is fresher, the launch is refused: another process may still be running it.
 */
public class ExecutionRecovery {

    private static final Logger log = LoggerFactory.getLogger(ExecutionRecovery.class);

    /** Thrown when the last execution is running and alive; nothing was changed. */
    public static class ExecutionStillRunningException extends RuntimeException {

        private final long jobExecutionId;

        ExecutionStillRunningException(long jobExecutionId, String message) {
            super(message);
            this.jobExecutionId = jobExecutionId;
        }

        public long jobExecutionId() {
            return jobExecutionId;
        }
    }

    private final JobRepository jobRepository;

    private final JobOperator jobOperator;

    private final ExecutionHeartbeat heartbeat;

    private final Clock clock;

    private final Duration lease;

    public ExecutionRecovery(JobRepository jobRepository, JobOperator jobOperator, ExecutionHeartbeat heartbeat,
            Clock clock, Duration lease) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.heartbeat = heartbeat;
        this.clock = clock;
        this.lease = lease;
    }

    /**
     * Recovers the last execution of this job instance if it is dead.
     *
     * @return the id of the recovered execution, empty when there was nothing to recover
     * @throws ExecutionStillRunningException when it is running and its last sign of life is within the lease
     */
    public Optional<Long> recoverIfDead(String jobName, JobParameters parameters) {
        JobExecution last = jobRepository.getLastJobExecution(jobName, parameters);
        if (last == null || !last.getStatus().isRunning()) {
            return Optional.empty();
        }
        return Optional.of(recoverIfDead(last));
    }

    /** Same, for a known execution (the restart-by-id command). */
    public long recoverIfDead(JobExecution execution) {
        Instant lastSign = lastSignOfLife(execution);
        Duration silence = Duration.between(lastSign, clock.instant());
        if (silence.compareTo(lease) < 0) {
            throw new ExecutionStillRunningException(execution.getId(), "Job execution " + execution.getId()
                    + " of " + execution.getJobInstance().getJobName() + " is still running (last heartbeat "
                    + silence.toSeconds() + "s ago, lease " + lease.toSeconds()
                    + "s): refusing to start it a second time. Retry after the lease if its process is dead.");
        }
        log.warn("Job execution {} of {} left {} by a dead process (silent for {}s): marking it FAILED to restart it",
                execution.getId(), execution.getJobInstance().getJobName(), execution.getStatus(),
                silence.toSeconds());
        jobOperator.recover(execution);
        return execution.getId();
    }

    Instant lastSignOfLife(JobExecution execution) {
        Stream<LocalDateTime> batchTimes = Stream.concat(
                Stream.of(execution.getCreateTime(), execution.getStartTime(), execution.getLastUpdated()),
                execution.getStepExecutions().stream().map(StepExecution::getLastUpdated));
        Instant latest = batchTimes.filter(t -> t != null)
                .map(t -> t.atZone(ZoneId.systemDefault()).toInstant())
                .max(Instant::compareTo)
                .orElse(Instant.EPOCH);
        Optional<Instant> beat = heartbeat.lastBeat(execution.getId());
        return beat.filter(b -> b.isAfter(latest)).orElse(latest);
    }
}
