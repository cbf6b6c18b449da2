package org.clubanonymiser.launch;

import java.util.Locale;

import org.clubanonymiser.support.execution.ExecutionRecovery.ExecutionStillRunningException;
import org.clubanonymiser.walkthrough.WalkthroughAlreadyRanException;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;

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
            if (cause instanceof WalkthroughAlreadyRanException ran) {
                return new FailureAnalysis(ran.getMessage(), ran.action(), cause);
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
            if (cause instanceof DataAccessException && isMissingJobInstanceSequence(cause)) {
                return new FailureAnalysis("The job repository has no JOB_INSTANCE_SEQ sequence: its tables have"
                        + " Spring Batch 5's sequence name, <prefix>JOB_SEQ (Spring Cloud Data Flow's BOOT3_BATCH_"
                        + " tables). Nothing was run.", "Launch the task with the JVM option"
                                + " -Dspring.batch.jdbc.schema.legacy=true (Data Flow: deployer.<app>.local.javaOpts)"
                                + " or the environment variable SPRING_BATCH_JDBC_SCHEMA_LEGACY=true (Kubernetes:"
                                + " deployer.<app>.kubernetes.environmentVariables); an application property is not"
                                + " read.", cause);
            }
            if (cause instanceof JobInstanceAlreadyCompleteException) {
                return new FailureAnalysis("This job instance has already completed: " + cause.getMessage(),
                        "Running it again would change nothing; launch with different parameters for new work.",
                        cause);
            }
        }
        return null;
    }

    /**
     * Spring Batch 6 names the job instance sequence {@code <prefix>JOB_INSTANCE_SEQ}, Batch 5 (and Data Flow's
     * {@code BOOT3_BATCH_} tables) {@code <prefix>JOB_SEQ}. H2 and PostgreSQL name the missing sequence; Oracle only
     * says that a sequence does not exist, so a failure to get a sequence value without the legacy flag counts too.
     */
    private static boolean isMissingJobInstanceSequence(Throwable failure) {
        boolean legacyFlag = System.getenv("SPRING_BATCH_JDBC_SCHEMA_LEGACY") != null
                || System.getProperty("spring.batch.jdbc.schema.legacy") != null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage()).toUpperCase(Locale.ROOT);
            if (message.contains("JOB_INSTANCE_SEQ")) {
                return true;
            }
            if (!legacyFlag && cause instanceof DataAccessResourceFailureException
                    && message.contains("SEQUENCE VALUE")) {
                return true;
            }
        }
        return false;
    }
}
