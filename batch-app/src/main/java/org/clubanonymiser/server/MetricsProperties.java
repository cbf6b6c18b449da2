package org.clubanonymiser.server;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Server-mode metrics ({@code anonymiser.metrics.*}).
 *
 * @param eligibleRefresh how often the {@code anonymiser.eligible.members} gauge is counted again (default 1 hour,
 *                        first at start-up; zero turns the refresh off)
 */
@Validated
@ConfigurationProperties("anonymiser.metrics")
public record MetricsProperties(@NotNull @DefaultValue("1h") Duration eligibleRefresh) {
}
