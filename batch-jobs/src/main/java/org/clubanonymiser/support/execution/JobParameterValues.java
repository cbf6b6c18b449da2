package org.clubanonymiser.support.execution;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.function.Function;

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
        return temporal(parameters, name, expected, day -> day, LocalDateTime::toLocalDate, LocalDate::parse);
    }

    /**
     * An id: a whole number from 0.
     *
     * @param expected what the message says the value must be, e.g. {@code "a positive whole number"}
     */
    public static Long id(JobParameters parameters, String name, String expected)
            throws InvalidJobParametersException {
        Long id = wholeNumber(parameters, name, expected);
        if (id != null && id < 0) {
            throw refused(name, expected, value(parameters, name));
        }
        return id;
    }

    /**
     * A point in time: a typed {@code LocalDateTime} or {@code Date}, an ISO date-time string, or a day (a typed
     * {@code LocalDate} or an ISO date string), which means the start of that day.
     *
     * @param expected what the message says the value must be
     */
    public static LocalDateTime dateTime(JobParameters parameters, String name, String expected)
            throws InvalidJobParametersException {
        return temporal(parameters, name, expected, LocalDate::atStartOfDay, dateTime -> dateTime,
                text -> text.contains("T") ? LocalDateTime.parse(text) : LocalDate.parse(text).atStartOfDay());
    }

    /**
     * The launch time a job's {@link JobParametersDefaults#launchTime} added (or the date-time given instead).
     *
     * @throws InvalidJobParametersException when it is missing (a launch that bypassed the defaults) or malformed
     */
    public static LocalDateTime launchTime(JobParameters parameters, String name, String expected)
            throws InvalidJobParametersException {
        LocalDateTime value = dateTime(parameters, name, expected);
        if (value == null) {
            throw new InvalidJobParametersException(name + " is required (it defaults to the launch time)");
        }
        return value;
    }

    private static <T> T temporal(JobParameters parameters, String name, String expected,
            Function<LocalDate, T> ofDay, Function<LocalDateTime, T> ofDateTime, Function<String, T> parse)
            throws InvalidJobParametersException {
        Object value = value(parameters, name);
        if (value == null) {
            return null;
        }
        if (value instanceof LocalDate day) {
            return ofDay.apply(day);
        }
        if (value instanceof LocalDateTime dateTime) {
            return ofDateTime.apply(dateTime);
        }
        if (value instanceof Date date) {
            return ofDateTime.apply(LocalDateTime.ofInstant(date.toInstant(), ZoneId.systemDefault()));
        }
        try {
            return parse.apply(value.toString().strip());
        }
        catch (DateTimeParseException ex) {
            throw refused(name, expected, value);
        }
    }

    /**
     * Parses parameters the job's validator has already accepted (in a listener or a step): a refusal there is a
     * bug, not a launch error, so it is an {@link IllegalStateException} with the validator's message.
     */
    public static <T> T accepted(Parser<T> parser, JobParameters parameters) {
        try {
            return parser.parse(parameters);
        }
        catch (InvalidJobParametersException ex) {
            throw new IllegalStateException(ex.getMessage(), ex);
        }
    }

    /** A job's {@code from(JobParameters)}: the one place its parameters are parsed and checked. */
    @FunctionalInterface
    public interface Parser<T> {

        T parse(JobParameters parameters) throws InvalidJobParametersException;
    }

    /** The refusal of a malformed value, worded like the parsers' own. */
    public static InvalidJobParametersException refused(String name, String expected, Object value) {
        return new InvalidJobParametersException(name + " must be " + expected + ", got '" + value + "'");
    }
}
