package org.clubanonymiser.support;

import org.slf4j.MDC;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Puts the job name and execution id in the logging context for the thread that runs the job (MDC key {@code job},
 * e.g. {@code importJob#42}), so every log line of a run can be traced to its execution. Only ids: nothing personal
 * ever goes in the MDC.
 */
public class JobLoggingContext implements JobExecutionListener {

    public static final String KEY = "job";

    @Override
    public void beforeJob(JobExecution jobExecution) {
        MDC.put(KEY, jobExecution.getJobInstance().getJobName() + "#" + jobExecution.getId());
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        MDC.remove(KEY);
    }
}
