package org.clubanonymiser.launch;

import org.clubanonymiser.support.ExecutionRecovery.ExecutionStillRunningException;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns a refused launch into one clear message instead of a stack trace: what was refused and what to do.
 * The process still exits non-zero.
 */
class JobLaunchFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof LaunchConfiguration.NoJobException noJob) {
                return new FailureAnalysis("No job to run: no --spring.batch.job.name was given and the server mode"
                        + " is off. Jobs: " + String.join(", ", noJob.jobNames()),
                        "Run a job with --spring.batch.job.name=<job> key=value ..., or start the web server with"
                                + " --anonymiser.mode=server.", cause);
            }
            if (cause instanceof InvalidJobParametersException) {
                return new FailureAnalysis("The job was refused before it started: " + cause.getMessage(),
                        "Correct the job parameters and launch it again. Nothing was changed.", cause);
            }
            if (cause instanceof ExecutionStillRunningException) {
                return new FailureAnalysis(cause.getMessage(),
                        "Wait for the running execution to end, or for the lease (anonymiser.recovery.lease) to"
                                + " pass if its process is dead, then launch again.", cause);
            }
            if (cause instanceof JobExecutionAlreadyRunningException) {
                return new FailureAnalysis("This job instance is already running: " + cause.getMessage(),
                        "Wait for it to end before launching it again.", cause);
            }
            if (cause instanceof JobInstanceAlreadyCompleteException) {
                return new FailureAnalysis("This job instance has already completed: " + cause.getMessage(),
                        "Running it again would change nothing; launch with different parameters for new work.",
                        cause);
            }
        }
        return null;
    }
}
