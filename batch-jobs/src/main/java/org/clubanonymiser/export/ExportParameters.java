package org.clubanonymiser.export;

import java.time.LocalDate;

import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.support.UserAccess;
import org.clubanonymiser.support.execution.JobParameterValues;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The export job's parameters, read leniently: from the command line every value arrives as a string
 * ({@code clubId=3}), from code as a typed parameter. {@code clubId}, {@code inactivityMonths}, {@code exportName} and
 * {@code requestedBy} are the export's business identity; {@code asOf} is optional (absent: the date of the first
 * execution, recorded in the export record so a restart on another day keeps it). {@link Validator} refuses a launch
 * with the same parsing, then checks the club and the user.
 */
public record ExportParameters(long clubId, int inactivityMonths, String exportName, String requestedBy,
        LocalDate asOf) {

    public static final String CLUB_ID = "clubId";
    public static final String INACTIVITY_MONTHS = "inactivityMonths";
    public static final String EXPORT_NAME = "exportName";
    public static final String REQUESTED_BY = "requestedBy";
    public static final String AS_OF = "asOf";

    /** Longest export name ({@code anonymisation_export.name}). */
    public static final int MAX_NAME_LENGTH = 100;

    /**
     * Parses and checks what needs no database: presence, numbers, months, name, date.
     *
     * @throws InvalidJobParametersException with one message saying what is wrong
     */
    public static ExportParameters from(JobParameters parameters) throws InvalidJobParametersException {
        return from(number(parameters, CLUB_ID), parameters);
    }

    /**
     * The same checks for a club given apart (the chain export's parameters name no club: each partition is one).
     *
     * @throws InvalidJobParametersException with one message saying what is wrong
     */
    public static ExportParameters from(long clubId, JobParameters parameters) throws InvalidJobParametersException {
        long months = number(parameters, INACTIVITY_MONTHS);
        if (months > Integer.MAX_VALUE || !InactivityPeriod.isAllowed((int) months)) {
            throw new InvalidJobParametersException("inactivityMonths must be one of "
                    + InactivityPeriod.ALLOWED_MONTHS + ", got " + months);
        }
        String name = JobParameterValues.text(parameters, EXPORT_NAME);
        if (name == null || name.isBlank()) {
            throw new InvalidJobParametersException("exportName must not be empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidJobParametersException("exportName must be at most " + MAX_NAME_LENGTH
                    + " characters, got " + name.length());
        }
        String requestedBy = JobParameterValues.text(parameters, REQUESTED_BY);
        if (requestedBy == null || requestedBy.isBlank()) {
            throw new InvalidJobParametersException("requestedBy (the requesting user's username) is required");
        }
        return new ExportParameters(clubId, (int) months, name.strip(), requestedBy.strip(),
                JobParameterValues.date(parameters, AS_OF, "a date (YYYY-MM-DD)"));
    }

    private static long number(JobParameters parameters, String key) throws InvalidJobParametersException {
        Long value = JobParameterValues.wholeNumber(parameters, key, "a whole number");
        if (value == null) {
            throw new InvalidJobParametersException(key + " is required");
        }
        return value;
    }

    /**
     * Refuses a user who may not run a mass anonymisation (unknown, or neither {@code ADMIN} nor granted the right):
     * the same words for {@code exportJob} and {@code chainExportJob}.
     *
     * @return the user, who may
     */
    public static UserAccess.AppUser requireMayAnonymise(UserAccess userAccess, String user)
            throws InvalidJobParametersException {
        UserAccess.AppUser found = userAccess.find(user)
            .orElseThrow(() -> new InvalidJobParametersException("Unknown user '" + user + "'"));
        if (!found.mayAnonymise()) {
            throw new InvalidJobParametersException("User '" + user
                    + "' may not run a mass anonymisation: neither ADMIN nor granted the right");
        }
        return found;
    }

    /**
     * Refuses an export launch, with one clear message, when: a parameter is missing or malformed, the months are not
     * one of 12, 18, … 84, the name is empty or longer than 100 characters, the club is unknown, the user is unknown,
     * the user is neither {@code ADMIN} nor granted the mass anonymisation, or the club is not among the user's
     * clubs. Run by {@link org.clubanonymiser.support.execution.JobLaunchGuard} before the job instance exists.
     * Read-only, thread-safe.
     */
    record Validator(JdbcTemplate jdbc, UserAccess userAccess) implements JobParametersValidator {

        @Override
        public void validate(JobParameters parameters) throws InvalidJobParametersException {
            ExportParameters export = from(parameters);
            Long clubs = jdbc.queryForObject("select count(*) from club where id = ?", Long.class, export.clubId());
            if (clubs == null || clubs == 0) {
                throw new InvalidJobParametersException("Unknown club " + export.clubId());
            }
            String user = export.requestedBy();
            if (!requireMayAnonymise(userAccess, user).clubIds().contains(export.clubId())) {
                throw new InvalidJobParametersException("Club " + export.clubId()
                        + " is not among the clubs of user '" + user + "'");
            }
        }
    }
}
