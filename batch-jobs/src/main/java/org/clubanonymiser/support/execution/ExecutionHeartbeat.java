package org.clubanonymiser.support.execution;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Beats {@code job_heartbeat} for every running job execution of this process, from a daemon thread, so that a
 * relaunch can tell a crashed execution (no beat for longer than the lease) from one that another process is still
 * running. Spring Batch's own {@code LAST_UPDATED} is not enough: a long tasklet step updates it only when done.
 * Registered on every job by {@link JobListenerRegistrar}; thread-safe.
 */
public class ExecutionHeartbeat implements JobExecutionListener, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ExecutionHeartbeat.class);

    private final JdbcTemplate jdbc;

    private final Clock clock;

    private final Duration period;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "job-heartbeat");
        thread.setDaemon(true);
        return thread;
    });

    private final Map<Long, ScheduledFuture<?>> beating = new ConcurrentHashMap<>();

    public ExecutionHeartbeat(JdbcTemplate jdbc, Clock clock, Duration period) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.period = period;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        long id = jobExecution.getId();
        beat(id);
        // Idempotent: registered twice on a job, it still beats once.
        beating.computeIfAbsent(id, key -> scheduler.scheduleAtFixedRate(() -> beat(key), period.toMillis(),
                period.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        ScheduledFuture<?> future = beating.remove(jobExecution.getId());
        if (future != null) {
            future.cancel(false);
        }
        jdbc.update("delete from job_heartbeat where job_execution_id = ?", jobExecution.getId());
    }

    /** The executions this process is running now (between their {@code beforeJob} and {@code afterJob}). */
    public Set<Long> runningExecutions() {
        return Set.copyOf(beating.keySet());
    }

    /** The last beat of an execution, if it has one. */
    public Optional<Instant> lastBeat(long jobExecutionId) {
        return jdbc.query("select beat_at from job_heartbeat where job_execution_id = ?",
                (rs, n) -> rs.getTimestamp(1).toInstant(), jobExecutionId).stream().findFirst();
    }

    void beat(long jobExecutionId) {
        Timestamp now = Timestamp.from(clock.instant());
        try {
            if (jdbc.update("update job_heartbeat set beat_at = ? where job_execution_id = ?", now,
                    jobExecutionId) == 0) {
                jdbc.update("insert into job_heartbeat (job_execution_id, beat_at) values (?, ?)", jobExecutionId,
                        now);
            }
        }
        catch (DataAccessException ex) {
            // A missed beat only makes a crash look older sooner; the job itself must not fail for it.
            log.warn("Heartbeat of job execution {} not recorded: {}", jobExecutionId, ex.getMessage());
        }
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
