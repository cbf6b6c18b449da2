package org.clubanonymiser.support.execution;

import java.time.LocalDate;
import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The one lenient reading of job parameters every job's parameters record uses. */
class JobParameterValuesTests {

    static JobParameters strings(String name, String value) {
        return new JobParametersBuilder().addString(name, value).toJobParameters();
    }

    @Test
    void wholeNumbersAndIdsAreReadFromStringsAndTypedValues() throws Exception {
        assertThat(JobParameterValues.wholeNumber(strings("n", " 42 "), "n", "a whole number")).isEqualTo(42L);
        assertThat(JobParameterValues.wholeNumber(new JobParametersBuilder().addLong("n", 7L).toJobParameters(), "n",
                "a whole number")).isEqualTo(7L);
        assertThat(JobParameterValues.wholeNumber(new JobParameters(), "n", "a whole number")).isNull();
        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> JobParameterValues.wholeNumber(strings("n", "4.2"), "n", "a whole number"))
            .withMessage("n must be a whole number, got '4.2'");
        assertThat(JobParameterValues.id(strings("id", "0"), "id", "a positive whole number")).isZero();
        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> JobParameterValues.id(strings("id", "-1"), "id", "a positive whole number"))
            .withMessage("id must be a positive whole number, got '-1'");
    }

    @Test
    void aDayIsReadFromADateStringOrATypedDayOrDateTime() throws Exception {
        LocalDate day = LocalDate.of(2026, 3, 31);
        assertThat(JobParameterValues.date(strings("d", "2026-03-31"), "d", "a date")).isEqualTo(day);
        assertThat(JobParameterValues.date(new JobParametersBuilder().addLocalDateTime("d", day.atTime(10, 30))
            .toJobParameters(), "d", "a date")).isEqualTo(day);
        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> JobParameterValues.date(strings("d", "31/03/2026"), "d", "a date (YYYY-MM-DD)"))
            .withMessage("d must be a date (YYYY-MM-DD), got '31/03/2026'");
    }

    @Test
    void aPointInTimeIsADateTimeOrTheStartOfADay() throws Exception {
        LocalDateTime time = LocalDateTime.of(2026, 3, 31, 10, 30);
        assertThat(JobParameterValues.dateTime(strings("t", "2026-03-31T10:30"), "t", "a date-time")).isEqualTo(time);
        assertThat(JobParameterValues.dateTime(strings("t", "2026-03-31"), "t", "a date-time"))
            .isEqualTo(time.toLocalDate().atStartOfDay());
        assertThat(JobParameterValues.dateTime(new JobParametersBuilder().addLocalDate("t", time.toLocalDate())
            .toJobParameters(), "t", "a date-time")).isEqualTo(time.toLocalDate().atStartOfDay());
        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> JobParameterValues.dateTime(strings("t", "soon"), "t", "a date-time"))
            .withMessage("t must be a date-time, got 'soon'");
    }

    @Test
    void aLaunchTimeIsRequired() {
        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> JobParameterValues.launchTime(new JobParameters(), "asOf", "a date-time"))
            .withMessage("asOf is required (it defaults to the launch time)");
    }

    @Test
    void parametersTheValidatorAcceptedAreParsedWithoutACheckedException() {
        JobParameters parameters = strings("n", "5");
        JobParameterValues.Parser<Long> number = given -> JobParameterValues.wholeNumber(given, "n", "a number");
        assertThat(JobParameterValues.accepted(number, parameters)).isEqualTo(5L);
        assertThatIllegalStateException()
            .isThrownBy(() -> JobParameterValues.accepted(number, strings("n", "five")))
            .withMessage("n must be a number, got 'five'");
    }
}
