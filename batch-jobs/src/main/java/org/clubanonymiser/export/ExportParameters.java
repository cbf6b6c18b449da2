package org.clubanonymiser.export;

import java.time.LocalDate;

import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.support.execution.JobParameterValues;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The export job's parameters, read leniently: from the command line every value arrives as a string
 * ({@code clubId=3}), from code as a typed parameter. {@code clubId}, {@code inactivityMonths}, {@code exportName} and
 * {@code requestedBy} are the export's business identity; {@code asOf} is optional (absent: the date of the first
 * execution, recorded in the export record so a restart on another day keeps it).
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
    public static ExportParameters of(JobParameters parameters) throws InvalidJobParametersException {
        return of(number(parameters, CLUB_ID), parameters);
    }

    /**
     * The same checks for a club given apart (the chain export's parameters name no club: each partition is one).
     *
     * @throws InvalidJobParametersException with one message saying what is wrong
     */
    public static ExportParameters of(long clubId, JobParameters parameters) throws InvalidJobParametersException {
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
        return new ExportParameters(clubId, (int) months, name.strip(), requestedBy.strip(), JobParameterValues.date(parameters, AS_OF, "a date (YYYY-MM-DD)"));
    }

    /** The same export for another club. */
    public ExportParameters forClub(long otherClubId) {
        return new ExportParameters(otherClubId, inactivityMonths, exportName, requestedBy, asOf);
    }

    private static long number(JobParameters parameters, String key) throws InvalidJobParametersException {
        Long value = JobParameterValues.wholeNumber(parameters, key, "a whole number");
        if (value == null) {
            throw new InvalidJobParametersException(key + " is required");
        }
        return value;
    }
}
