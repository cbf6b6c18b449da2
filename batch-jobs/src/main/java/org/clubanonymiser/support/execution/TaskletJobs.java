package org.clubanonymiser.support.execution;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.builder.TaskletStepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The shape of the jobs that are one tasklet step (the export and residue purges, the privacy report) and of every
 * tasklet step: written once, while each job and step stays a bean of its own with its own name. A tasklet step runs
 * in the given (product database) transaction manager: the default would be resourceless.
 */
public final class TaskletJobs {

    private TaskletJobs() {
    }

    /** A job whose parameters are validated before any instance exists, then runs its one step. */
    public static Job oneStep(String jobName, JobRepository jobRepository, JobParametersValidator validator,
            Step step) {
        return new JobBuilder(jobName, jobRepository).validator(validator).start(step).build();
    }

    /** A tasklet step, for the caller to finish ({@code .allowStartIfComplete(true)}) and build. */
    public static TaskletStepBuilder step(String stepName, JobRepository jobRepository, Tasklet tasklet,
            PlatformTransactionManager transactionManager) {
        return new StepBuilder(stepName, jobRepository).tasklet(tasklet, transactionManager);
    }
}
