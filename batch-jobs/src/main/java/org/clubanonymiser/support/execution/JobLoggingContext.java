package org.clubanonymiser.support.execution;

import java.util.ArrayDeque;
import java.util.Deque;

import java.time.Duration;
import java.time.LocalDateTime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.core.Ordered;

/**
 * Puts the job name and execution id in the logging context for the thread that runs the job (MDC key {@code job},
 * e.g. {@code importJob#42}), so every log line of a run can be traced to its execution. First of the job's
 * listeners in, last out, so the other listeners' lines carry it too; a job run as a step of another
 * ({@code JobStep}) restores its parent's value when it ends. Only ids: nothing personal ever goes in the MDC.
 * <p>
 * It also writes each run's own summary, one line at the start and one at the end, with ids, status, exit code and
 * duration only: Spring Batch's launcher lines ("launched/completed with the following parameters") are turned off
 * in {@code application.yml} because parameters hold usernames and free-text export names.
 */
public class JobLoggingContext implements JobExecutionListener, Ordered {

    public static final String KEY = "job";

    private static final Logger log = LoggerFactory.getLogger(JobLoggingContext.class);

    private static final String NONE = "";

    private final ThreadLocal<Deque<String>> outer = ThreadLocal.withInitial(ArrayDeque::new);

    @Override
    public void beforeJob(JobExecution jobExecution) {
        String previous = MDC.get(KEY);
        outer.get().push(previous == null ? NONE : previous);
        MDC.put(KEY, jobExecution.getJobInstance().getJobName() + "#" + jobExecution.getId());
        log.info("{} execution {} started (job instance {})", jobExecution.getJobInstance().getJobName(),
                jobExecution.getId(), jobExecution.getJobInstance().getInstanceId());
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        LocalDateTime start = jobExecution.getStartTime();
        log.info("{} execution {} ended {} (exit code {}) in {} ms", jobExecution.getJobInstance().getJobName(),
                jobExecution.getId(), jobExecution.getStatus(), jobExecution.getExitStatus().getExitCode(),
                start == null ? "?" : Duration.between(start, LocalDateTime.now()).toMillis());
        String previous = outer.get().isEmpty() ? NONE : outer.get().pop();
        if (previous.isEmpty()) {
            MDC.remove(KEY);
            outer.remove();
        }
        else {
            MDC.put(KEY, previous);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
