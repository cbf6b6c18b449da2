package org.clubanonymiser.importing;

import java.util.Optional;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.skip.SkipLimitExceededException;

/**
 * Makes the import record and the job's exit status tell the same story once the job ends: a job COMPLETED with
 * rejected rows exits {@code COMPLETED_WITH_ERRORS} (still BatchStatus COMPLETED, so exit code 0) described by the
 * record's {@link ImportSummary} (loud when every row was rejected for one code); a refused file
 * exits {@code REFUSED:<code>} with the refusal's message; any other failure (or a stop) marks a still RUNNING record
 * FAILED with code {@code ERROR} (or {@code STOPPED}, or {@code TOO_MANY_REJECTIONS} past the skip limit): a restart
 * reopens it.
 */
class ImportJobListener implements JobExecutionListener {

    static final String COMPLETED_WITH_ERRORS = "COMPLETED_WITH_ERRORS";

    /** More rows rejected than {@code anonymiser.import.skip-limit} allows: a restart fails the same way. */
    static final String TOO_MANY_REJECTIONS = "TOO_MANY_REJECTIONS";

    private final ImportRecords records;

    ImportJobListener(ImportRecords records) {
        this.records = records;
    }

    @Override
    public void afterJob(JobExecution execution) {
        if (!execution.getExecutionContext().containsKey(ImportFileGateTasklet.IMPORT_ID_KEY)) {
            return;
        }
        long importId = execution.getExecutionContext().getLong(ImportFileGateTasklet.IMPORT_ID_KEY);
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            records.find(importId)
                .filter(record -> COMPLETED_WITH_ERRORS.equals(record.status()))
                .ifPresent(record -> execution.setExitStatus(new ExitStatus(COMPLETED_WITH_ERRORS,
                        (record.summary() != null ? record.summary()
                                : record.rowsRejected() + " of " + record.rowsRead() + " rows rejected")
                                + ", listed in errors/" + record.errorFile())));
            return;
        }
        Optional<StepExecution> refusal = execution.getStepExecutions().stream()
            .filter(step -> step.getExitStatus().getExitCode().startsWith("REFUSED:"))
            .findFirst();
        if (refusal.isPresent()) {
            execution.setExitStatus(refusal.get().getExitStatus());
            return;
        }
        records.failIfRunning(importId, execution.getStatus() == BatchStatus.STOPPED ? "STOPPED"
                : tooManyRejections(execution) ? TOO_MANY_REJECTIONS : "ERROR");
    }

    private static boolean tooManyRejections(JobExecution execution) {
        return execution.getStepExecutions().stream()
            .flatMap(step -> step.getFailureExceptions().stream())
            .anyMatch(failure -> hasCause(failure, SkipLimitExceededException.class));
    }

    /** Spring Batch wraps a chunk's failure ({@code FatalStepExecutionException}): look along the causes. */
    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
