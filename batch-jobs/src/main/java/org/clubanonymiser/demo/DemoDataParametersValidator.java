package org.clubanonymiser.demo;

import java.time.Clock;
import java.time.LocalDate;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/** Refuses a {@code demoDataJob} launch whose parameters {@link DemoDataParameters} does not accept. */
class DemoDataParametersValidator implements JobParametersValidator {

    private final Clock clock;

    DemoDataParametersValidator(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void validate(JobParameters parameters) throws InvalidJobParametersException {
        try {
            DemoDataParameters.of(parameters == null ? new JobParameters() : parameters, LocalDate.now(clock));
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidJobParametersException(ex.getMessage());
        }
    }
}
