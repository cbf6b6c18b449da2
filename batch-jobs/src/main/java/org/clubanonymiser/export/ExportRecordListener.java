package org.clubanonymiser.export;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.support.execution.JobParameterValues;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Ties each execution of {@code exportJob} to its export record: before the job, the record of the job instance is
 * created (first execution) or marked RUNNING again (restart), and its id is put in the job execution context under
 * {@value #EXPORT_ID_KEY} (a number, the only thing there) for the steps. After a job that did not complete, the
 * record is marked FAILED (step 2 marks it COMPLETED itself, with the step's own transaction). Stateless.
 */
public class ExportRecordListener implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(ExportRecordListener.class);

    /** Job execution context key of the export id. */
    public static final String EXPORT_ID_KEY = "exportJob.export.id";

    /**
     * How the export's step-scoped components find their export: in the step execution context when the step runs
     * as a partition of {@code chainExportJob} (one export per partition), else in the job execution context.
     */
    public static final String EXPORT_ID_EXPRESSION = "#{stepExecutionContext['" + EXPORT_ID_KEY + "']"
            + " ?: jobExecutionContext['" + EXPORT_ID_KEY + "']}";

    private final ExportRecords records;

    private final Clock clock;

    /** The export a step execution works on: {@link #EXPORT_ID_EXPRESSION} in code. */
    static long exportId(StepExecution stepExecution) {
        return stepExecution.getExecutionContext().containsKey(EXPORT_ID_KEY)
                ? stepExecution.getExecutionContext().getLong(EXPORT_ID_KEY)
                : stepExecution.getJobExecution().getExecutionContext().getLong(EXPORT_ID_KEY);
    }

    ExportRecordListener(ExportRecords records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        ExportParameters parameters = JobParameterValues.accepted(ExportParameters::from,
                jobExecution.getJobParameters());
        ExportRecord export = records.startOrResume(jobExecution.getJobInstance().getInstanceId(),
                jobExecution.getId(), parameters, LocalDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS));
        jobExecution.getExecutionContext().putLong(EXPORT_ID_KEY, export.id());
        log.info("Export {} of club {} (as of {}, {} months) running as job execution {}", export.id(),
                export.clubId(), export.asOf(), export.inactivityMonths(), jobExecution.getId());
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        if (jobExecution.getStatus() == BatchStatus.COMPLETED
                || !jobExecution.getExecutionContext().containsKey(EXPORT_ID_KEY)) {
            return;
        }
        long exportId = jobExecution.getExecutionContext().getLong(EXPORT_ID_KEY);
        records.failed(exportId);
        log.warn("Export {} {}: relaunch the job with the same parameters to resume it", exportId,
                jobExecution.getStatus());
    }
}
