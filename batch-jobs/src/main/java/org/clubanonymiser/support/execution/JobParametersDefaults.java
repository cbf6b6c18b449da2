package org.clubanonymiser.support.execution;


import java.time.Clock;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.function.UnaryOperator;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

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

    /**
     * Defaults for a job run any number of times (a purge): when not given, the launch time (to the millisecond) is
     * added as the identifying {@code parameter}, so every launch is a new instance.
     */
    static JobParametersDefaults launchTime(String jobName, String parameter, Clock clock) {
        return of(jobName, given -> given.getParameter(parameter) != null ? given
                : new JobParametersBuilder(given)
                    .addJobParameter(new JobParameter<>(parameter,
                            LocalDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS), LocalDateTime.class, true))
                    .toJobParameters());
    }

    /** Defaults of this job, completed by {@code complete} (which must not remove or change given parameters). */
    static JobParametersDefaults of(String jobName, UnaryOperator<JobParameters> complete) {
        return new JobParametersDefaults() {

            @Override
            public String jobName() {
                return jobName;
            }

            @Override
            public JobParameters complete(JobParameters given) {
                return complete.apply(given);
            }
        };
    }
}
