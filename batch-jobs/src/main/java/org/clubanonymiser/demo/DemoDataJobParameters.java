package org.clubanonymiser.demo;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Set;

import org.clubanonymiser.support.execution.JobParameterValues;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The effective parameters of a {@code demoDataJob} run: the job parameters with their defaults applied.
 * <p>
 * {@code members} (default {@value #DEFAULT_MEMBERS}, 1 to {@value #MAX_MEMBERS}), {@code clubs} (default
 * {@value #DEFAULT_CLUBS}, 1 to {@value #MAX_CLUBS}, at most {@code members}), {@code seed} (default
 * {@value #DEFAULT_SEED}), {@code asOf} (ISO date, default today). From the command line they arrive as strings
 * ({@code members=200}); typed parameters ({@code members=200,java.lang.Long}) are accepted too. Any other parameter
 * is refused, so that a typo cannot silently fall back to a default.
 * <p>
 * The first step stores the effective values in the job execution context under {@code demoData.*} (numbers only;
 * {@code asOf} as an epoch day): a restart on another day generates with the {@code asOf} of the first run.
 * {@link Validator} refuses a launch whose parameters {@link #from} does not accept.
 */
record DemoDataJobParameters(long members, int clubs, long seed, LocalDate asOf) {

    static final String MEMBERS = "members";

    static final String CLUBS = "clubs";

    static final String SEED = "seed";

    static final String AS_OF = "asOf";

    static final Set<String> NAMES = Set.of(MEMBERS, CLUBS, SEED, AS_OF);

    static final long DEFAULT_MEMBERS = 10_000;

    static final int DEFAULT_CLUBS = 3;

    static final long DEFAULT_SEED = 42;

    static final long MAX_MEMBERS = 5_000_000;

    static final int MAX_CLUBS = 1_000;

    private static final LocalDate MIN_AS_OF = LocalDate.of(2000, 1, 1);

    private static final LocalDate MAX_AS_OF = LocalDate.of(2100, 12, 31);

    private static final String CONTEXT_PREFIX = "demoData.";

    DemoDataJobParameters {
        if (members < 1 || members > MAX_MEMBERS) {
            throw new IllegalArgumentException(MEMBERS + " must be between 1 and " + MAX_MEMBERS + ", got " + members);
        }
        if (clubs < 1 || clubs > MAX_CLUBS) {
            throw new IllegalArgumentException(CLUBS + " must be between 1 and " + MAX_CLUBS + ", got " + clubs);
        }
        if (members < clubs) {
            throw new IllegalArgumentException(
                    MEMBERS + " (" + members + ") must be at least " + CLUBS + " (" + clubs + "): every club gets members");
        }
        if (asOf.isBefore(MIN_AS_OF) || asOf.isAfter(MAX_AS_OF)) {
            throw new IllegalArgumentException(AS_OF + " must be between " + MIN_AS_OF + " and " + MAX_AS_OF);
        }
    }

    /**
     * @throws InvalidJobParametersException naming the first invalid or unknown parameter
     */
    static DemoDataJobParameters from(JobParameters parameters, LocalDate today) throws InvalidJobParametersException {
        for (JobParameter<?> parameter : parameters) {
            if (!NAMES.contains(parameter.name())) {
                throw new InvalidJobParametersException("Unknown parameter '" + parameter.name()
                        + "': demoDataJob takes " + MEMBERS + ", " + CLUBS + ", " + SEED + " and " + AS_OF);
            }
        }
        long clubs = number(parameters, CLUBS, DEFAULT_CLUBS);
        if (clubs > Integer.MAX_VALUE || clubs < Integer.MIN_VALUE) {
            throw new InvalidJobParametersException(CLUBS + " must be between 1 and " + MAX_CLUBS + ", got " + clubs);
        }
        long members = number(parameters, MEMBERS, DEFAULT_MEMBERS);
        long seed = number(parameters, SEED, DEFAULT_SEED);
        LocalDate asOf = JobParameterValues.date(parameters, AS_OF, "a date like 2026-01-15");
        try {
            return new DemoDataJobParameters(members, (int) clubs, seed, asOf == null ? today : asOf);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidJobParametersException(ex.getMessage());
        }
    }

    static DemoDataJobParameters of(ExecutionContext context) {
        return new DemoDataJobParameters(context.getLong(CONTEXT_PREFIX + MEMBERS),
                context.getInt(CONTEXT_PREFIX + CLUBS), context.getLong(CONTEXT_PREFIX + SEED),
                LocalDate.ofEpochDay(context.getLong(CONTEXT_PREFIX + AS_OF)));
    }

    void writeTo(ExecutionContext context) {
        context.putLong(CONTEXT_PREFIX + MEMBERS, members);
        context.putInt(CONTEXT_PREFIX + CLUBS, clubs);
        context.putLong(CONTEXT_PREFIX + SEED, seed);
        context.putLong(CONTEXT_PREFIX + AS_OF, asOf.toEpochDay());
    }

    private static long number(JobParameters parameters, String name, long defaultValue)
            throws InvalidJobParametersException {
        Long value = JobParameterValues.wholeNumber(parameters, name, "a whole number");
        return value == null ? defaultValue : value;
    }

    /** Refuses a {@code demoDataJob} launch whose parameters {@link #from} does not accept. */
    record Validator(Clock clock) implements JobParametersValidator {

        @Override
        public void validate(JobParameters parameters) throws InvalidJobParametersException {
            from(parameters == null ? new JobParameters() : parameters, LocalDate.now(clock));
        }
    }
}
