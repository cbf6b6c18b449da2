package org.clubanonymiser.demo;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of {@code demoDataJob} ({@code anonymiser.demo.*}).
 *
 * @param chunkSize members generated and inserted per transaction, with all their rows (default 1000; each member
 *                  brings about 70 rows)
 */
@Validated
@ConfigurationProperties("anonymiser.demo")
public record DemoDataProperties(@Min(1) @Max(10_000) @DefaultValue("1000") int chunkSize) {
}
