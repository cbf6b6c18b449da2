package org.clubanonymiser.residue;

import java.time.Clock;
import java.time.LocalDateTime;

import org.clubanonymiser.support.execution.JobParameterValues;
import org.clubanonymiser.support.execution.JobParametersDefaults;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * {@code residuePurgeJob}'s one parameter, {@code runAt}: a date-time that only makes each run a job instance of its
 * own. Without it, the launch time is added as the identifying {@code runAt} ({@link #defaults}), as
 * {@code exportPurgeJob} does with its {@code asOf}.
 */
record ResiduePurgeJobParameters(LocalDateTime runAt) {

    static final String JOB_NAME = "residuePurgeJob";

    static final String RUN_AT = "runAt";

    /** @throws InvalidJobParametersException when {@code runAt} is missing or not a date-time */
    static ResiduePurgeJobParameters from(JobParameters parameters) throws InvalidJobParametersException {
        return new ResiduePurgeJobParameters(
                JobParameterValues.launchTime(parameters, RUN_AT, "a date-time (YYYY-MM-DDTHH:MM:SS)"));
    }

    static JobParametersDefaults defaults(Clock clock) {
        return JobParametersDefaults.launchTime(JOB_NAME, RUN_AT, clock);
    }

    /** Refuses a launch whose {@code runAt} is malformed, before any job instance exists. */
    record Validator() implements JobParametersValidator {

        @Override
        public void validate(JobParameters parameters) throws InvalidJobParametersException {
            from(parameters);
        }
    }
}
