package org.clubanonymiser.progress;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a running step reports its progress ({@code anonymiser.progress.*}).
 *
 * @param interval how often each watched step logs a progress line (done / total, rate, elapsed, estimated time
 *                 left), from its start (default 10 seconds; at least 10 ms)
 */
@Validated
@ConfigurationProperties("anonymiser.progress")
public record ProgressProperties(@NotNull @DefaultValue("10s") Duration interval) {

    /** Below 10 ms the progress lines would cost more than the work they describe. */
    @AssertTrue(message = "must be at least 10ms")
    public boolean isIntervalLongEnough() {
        return interval == null || interval.compareTo(Duration.ofMillis(10)) >= 0;
    }
}
