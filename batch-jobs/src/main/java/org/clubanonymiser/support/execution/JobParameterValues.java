package org.clubanonymiser.support.execution;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Date;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * Reads a job parameter the one lenient way every job's parameters record does: from the command line every value
 * arrives as a string ({@code clubId=3}), from code or a typed command-line parameter as a {@code Long} or a
 * {@code LocalDate}. An absent parameter (or one without a value) is {@code null}, for the caller to require or
 * default; a malformed one is refused with {@code "<name> must be <expected>, got '<value>'"}, the message the launch
 * prints.
 */
public final class JobParameterValues {

    private JobParameterValues() {
    }

    /** The parameter's value as given, or {@code null}. */
    public static Object value(JobParameters parameters, String name) {
        JobParameter<?> parameter = parameters.getParameter(name);
        return parameter == null ? null : parameter.value();
    }

    /** The parameter's value as text (not stripped), or {@code null}. */
    public static String text(JobParameters parameters, String name) {
        Object value = value(parameters, name);
        return value == null ? null : value.toString();
    }

    /**
     * A whole number: an integral typed value, or a string of digits (surrounding blanks ignored).
     *
     * @param expected what the message says the value must be, e.g. {@code "a whole number"}
     */
    public static Long wholeNumber(JobParameters parameters, String name, String expected)
            throws InvalidJobParametersException {
        Object value = value(parameters, name);
        if (value == null) {
            return null;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return ((Number) value).longValue();
        }
        try {
            return Long.parseLong(value.toString().strip());
        }
        catch (NumberFormatException ex) {
            throw refused(name, expected, value);
        }
    }

    /**
     * A day: a typed {@code LocalDate} (or the day of a {@code LocalDateTime} or {@code Date}), or an ISO date string.
     *
     * @param expected what the message says the value must be, e.g. {@code "a date (YYYY-MM-DD)"}
     */
    public static LocalDate date(JobParameters parameters, String name, String expected)
            throws InvalidJobParametersException {
        Object value = value(parameters, name);
        if (value == null || value instanceof LocalDate) {
            return (LocalDate) value;
        }
        if (value instanceof LocalDateTime dateTime) {
            return dateTime.toLocalDate();
        }
        if (value instanceof Date date) {
            return date.toInstant().atZone(ZoneId.systemDefault()).toLocalDate();
        }
        try {
            return LocalDate.parse(value.toString().strip());
        }
        catch (DateTimeParseException ex) {
            throw refused(name, expected, value);
        }
    }

    /** The refusal of a malformed value, worded like the parsers' own. */
    public static InvalidJobParametersException refused(String name, String expected, Object value) {
        return new InvalidJobParametersException(name + " must be " + expected + ", got '" + value + "'");
    }
}
