package org.clubanonymiser.purge;

import java.time.Clock;
import java.time.LocalDateTime;

import org.clubanonymiser.support.execution.JobParameterValues;
import org.clubanonymiser.support.execution.JobParametersDefaults;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * {@code exportPurgeJob}'s one parameter, {@code asOf}: a date (its start) or a date-time. Without it, the launch time
 * (to the millisecond) is added as the identifying {@code asOf} ({@link #defaults}), so a scheduled run needs no
 * parameter and every run is a new instance (an incrementer would do the same but make Spring Batch ignore a given
 * {@code asOf}).
 */
record ExportPurgeJobParameters(LocalDateTime asOf) {

    static final String JOB_NAME = "exportPurgeJob";

    static final String AS_OF = "asOf";

    /** @throws InvalidJobParametersException with one message saying what is wrong */
    static ExportPurgeJobParameters from(JobParameters parameters) throws InvalidJobParametersException {
        return new ExportPurgeJobParameters(JobParameterValues.launchTime(parameters, AS_OF,
                "a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM:SS)"));
    }

    static JobParametersDefaults defaults(Clock clock) {
        return JobParametersDefaults.launchTime(JOB_NAME, AS_OF, clock);
    }

    /** Refuses a launch whose {@code asOf} is missing or malformed, before any job instance exists. */
    record Validator() implements JobParametersValidator {

        @Override
        public void validate(JobParameters parameters) throws InvalidJobParametersException {
            from(parameters);
        }
    }
}
