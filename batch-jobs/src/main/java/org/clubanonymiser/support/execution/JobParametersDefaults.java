package org.clubanonymiser.support.execution;


import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * Completes the parameters of one job's launch before anything else looks at them (see {@link JobLaunchGuard}): a
 * job whose optional parameter must still be part of its identity (e.g. "now" for a purge that runs every night)
 * declares it here instead of relying on an incrementer, which would make Spring Batch ignore the given parameters.
 */
public interface JobParametersDefaults {

    /** The job these defaults apply to. */
    String jobName();

    /** The given parameters, with the missing optional ones added. Must not remove or change given ones. */
    JobParameters complete(JobParameters given);
}
