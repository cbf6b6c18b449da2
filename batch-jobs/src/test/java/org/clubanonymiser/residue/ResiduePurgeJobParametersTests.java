package org.clubanonymiser.residue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code runAt}: added at launch when not given, identifying, and a date-time when given. */
class ResiduePurgeJobParametersTests {

    @Test
    void theLaunchTimeIsAddedAsAnIdentifyingRunAtAndAccepted() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-07T03:45:00.123456Z"), ZoneOffset.UTC);
        JobParameters completed = ResiduePurgeJobParameters.defaults(clock).complete(new JobParameters());

        assertThat(completed.getParameter(ResiduePurgeJobParameters.RUN_AT).identifying()).isTrue();
        assertThat(ResiduePurgeJobParameters.from(completed).runAt())
            .isEqualTo(LocalDateTime.of(2026, 12, 7, 3, 45, 0, 123_000_000));
        assertThatCode(() -> new ResiduePurgeJobParameters.Validator().validate(completed)).doesNotThrowAnyException();
    }

    @Test
    void aMalformedRunAtIsRefused() {
        JobParameters malformed = new JobParametersBuilder().addString(ResiduePurgeJobParameters.RUN_AT, "tonight")
            .toJobParameters();

        assertThatExceptionOfType(InvalidJobParametersException.class)
            .isThrownBy(() -> new ResiduePurgeJobParameters.Validator().validate(malformed))
            .withMessage("runAt must be a date-time (YYYY-MM-DDTHH:MM:SS), got 'tonight'");
    }
}
