package org.clubanonymiser.importing;

import java.io.IOException;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.support.execution.JobParameterValues;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Step 1 of {@code importJob}: creates (or, on a restart, reopens) the job instance's import record, puts its id in
 * the job execution context under {@value #IMPORT_ID_KEY} (a number, nothing personal), and runs {@link ImportGate}.
 * A refusal is not an exception: the record becomes FAILED with the refusal's code, one log line says why, and the
 * step ends with exit code {@code REFUSED:<code>}, which the job's flow turns into a FAILED job before any member is
 * touched. Re-run on every restart (the file is checked again); a refused file is refused again the same way. An
 * import whose record is already completed is not gated again (its export is purged): the restart just finishes. A
 * restart after the anonymising step completed checks the file and the user but not the export's state, which the
 * import's own completion may have changed (resolved, file deleted).
 */
class ImportFileGateTasklet implements Tasklet {

    static final String IMPORT_ID_KEY = "importJob.importId";

    /** The anonymising step's name ({@link ImportAnonymiseStepConfiguration}). */
    static final String ANONYMISE_STEP = "importAnonymiseStep";

    private static final Logger log = LoggerFactory.getLogger(ImportFileGateTasklet.class);

    private final ImportGate gate;

    private final ImportRecords records;

    private final ImportMetrics metrics;

    private final JobRepository jobRepository;

    private final TransactionOperations ownTransaction;

    /**
     * @param ownTransaction a transaction of its own (REQUIRES_NEW) for creating or reopening the record: committed
     * before the gate runs, so that an infrastructure error in the gate (which rolls the step's transaction back)
     * leaves a record to mark FAILED, visible and restartable by its id, not an import that never existed
     */
    ImportFileGateTasklet(ImportGate gate, ImportRecords records, ImportMetrics metrics, JobRepository jobRepository,
            TransactionOperations ownTransaction) {
        this.jobRepository = jobRepository;
        this.gate = gate;
        this.records = records;
        this.metrics = metrics;
        this.ownTransaction = ownTransaction;
    }

    /**
     * Whether an earlier execution of this import's job instance completed the anonymising step: a restart after a
     * failure in the error file or completion step. Read through the job repository (its tables may be another
     * database's, under Data Flow).
     */
    private boolean rowsDone(JobExecution job) {
        StepExecution anonymise = jobRepository.getLastStepExecution(job.getJobInstance(), ANONYMISE_STEP);
        return anonymise != null && anonymise.getStatus() == BatchStatus.COMPLETED;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        JobExecution job = contribution.getStepExecution().getJobExecution();
        ImportJobParameters parameters = JobParameterValues.accepted(ImportJobParameters::from,
                job.getJobParameters());
        Path file = parameters.file();
        String checksum = parameters.fileChecksum();
        String requestedBy = parameters.requestedBy();
        long importId = ownTransaction.execute(status -> records.startOrResume(job.getJobInstance().getInstanceId(),
                job.getId(), file.getFileName().toString(), checksum, requestedBy, parameters.dryRun()));
        job.getExecutionContext().putLong(IMPORT_ID_KEY, importId);
        if (records.isCompleted(importId)) {
            // Completed before the job itself failed: the export is purged by now, nothing is left to check or do.
            log.info("Import {} (job execution {}) had already completed; finishing the job", importId, job.getId());
            return RepeatStatus.FINISHED;
        }
        try {
            ExportRecord export = gate.check(file, checksum, requestedBy, rowsDone(job));
            records.attachExport(importId, export.id(), export.clubId());
            log.info("Import {} (job execution {}): file accepted, export {} of club {}; anonymising", importId,
                    job.getId(), export.id(), export.clubId());
        }
        catch (ImportRefusedException ex) {
            records.refuse(importId, ex.refusal());
            metrics.refusal(ex.refusal());
            log.warn("Import {} (job execution {}) refused {}: {}", importId, job.getId(), ex.refusal(),
                    ex.getMessage());
            contribution.setExitStatus(new ExitStatus(ex.refusal().exitCode(), ex.getMessage()));
        }
        return RepeatStatus.FINISHED;
    }
}
