package org.clubanonymiser.demo;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DemoDataJobParametersTests {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 29);

    @Test
    void defaultsApplyWhenNothingIsGiven() throws Exception {
        assertThat(DemoDataJobParameters.from(new JobParameters(), TODAY))
            .isEqualTo(new DemoDataJobParameters(10_000, 3, 42, TODAY));
    }

    @Test
    void commandLineStringsAndTypedValuesAreBothAccepted() throws Exception {
        JobParameters strings = new JobParametersBuilder().addString("members", "200")
            .addString("clubs", "2")
            .addString("seed", "-5")
            .addString("asOf", "2026-01-15")
            .toJobParameters();
        JobParameters typed = new JobParametersBuilder().addLong("members", 200L)
            .addLong("clubs", 2L)
            .addLong("seed", -5L)
            .addLocalDate("asOf", LocalDate.of(2026, 1, 15))
            .toJobParameters();

        DemoDataJobParameters expected = new DemoDataJobParameters(200, 2, -5, LocalDate.of(2026, 1, 15));
        assertThat(DemoDataJobParameters.from(strings, TODAY)).isEqualTo(expected);
        assertThat(DemoDataJobParameters.from(typed, TODAY)).isEqualTo(expected);
    }

    @Test
    void boundsAndFormatsAreChecked() throws Exception {
        assertThat(DemoDataJobParameters.from(parameters("members", "5000000"), TODAY).members()).isEqualTo(5_000_000);
        assertThat(DemoDataJobParameters.from(parameters("clubs", "1000", "members", "1000"), TODAY).clubs())
            .isEqualTo(1000);
        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> DemoDataJobParameters.from(parameters("members", "0"), TODAY))
            .withMessageContaining("members must be between 1 and 5000000");
        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> DemoDataJobParameters.from(parameters("members", "5000001"), TODAY));
        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> DemoDataJobParameters.from(parameters("clubs", "0"), TODAY));
        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> DemoDataJobParameters.from(parameters("clubs", "1001", "members", "5000"), TODAY));
        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> DemoDataJobParameters.from(parameters("clubs", "99999999999"), TODAY));
        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> DemoDataJobParameters.from(parameters("members", "2", "clubs", "3"), TODAY))
            .withMessageContaining("every club gets members");
        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> DemoDataJobParameters.from(parameters("seed", "4.2"), TODAY))
            .withMessageContaining("whole number");
        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> DemoDataJobParameters.from(parameters("asOf", "15/01/2026"), TODAY))
            .withMessageContaining("2026-01-15");
        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> DemoDataJobParameters.from(parameters("asOf", "1999-12-31"), TODAY));
    }

    @Test
    void unknownParametersAreRefusedRatherThanIgnored() throws Exception {
        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> DemoDataJobParameters.from(parameters("member", "10"), TODAY))
            .withMessageContaining("Unknown parameter 'member'");
    }

    @Test
    void theEffectiveValuesSurviveTheExecutionContextAsNumbers() throws Exception {
        DemoDataJobParameters parameters = new DemoDataJobParameters(123, 4, 99, LocalDate.of(2026, 2, 28));
        ExecutionContext context = new ExecutionContext();

        parameters.writeTo(context);

        assertThat(DemoDataJobParameters.of(context)).isEqualTo(parameters);
        assertThat(context.entrySet()).allSatisfy(entry -> assertThat(entry.getValue()).isInstanceOf(Number.class));
    }

    private static JobParameters parameters(String... namesAndValues) {
        JobParametersBuilder builder = new JobParametersBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.addString(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.toJobParameters();
    }
}
