package org.clubanonymiser.walkthrough;

import java.nio.file.Path;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.repository.JobRepository;

/**
 * The walkthrough runs once per database. Its first part seeds demo data, which only ever goes into an empty
 * database, so once a walkthrough has completed, running it again fails whatever the parameters: the same ones meet
 * Spring Batch's "job instance already completed", other ones the demo data's "database not empty" inside a new
 * (failed) instance. This validator refuses both up front, before any job instance exists (the launch guard runs
 * validators first), with what to do instead: delete the storage dir to start over, or open the UI on it. A failed
 * walkthrough is not refused: the same command restarts it.
 */
record WalkthroughOnceValidator(JobRepository jobRepository, Path storageDir) implements JobParametersValidator {

    static final String JOB_NAME = "demoWalkthroughJob";

    @Override
    public void validate(JobParameters parameters) throws InvalidJobParametersException {
        boolean completed = jobRepository.findJobInstances(JOB_NAME).stream()
            .map(jobRepository::getLastJobExecution)
            .anyMatch(execution -> execution != null && execution.getStatus() == BatchStatus.COMPLETED);
        if (completed) {
            throw new WalkthroughAlreadyRanException(storageDir);
        }
    }
}
