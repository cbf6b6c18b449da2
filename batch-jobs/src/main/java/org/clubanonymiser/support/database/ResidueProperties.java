package org.clubanonymiser.support.database;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * When anonymised values are removed from the database's files ({@code anonymiser.residue.*}); see
 * {@link H2FileCompaction} (H2) and {@code residuePurgeJob} (PostgreSQL).
 *
 * @param delay    server mode on H2: how long after the last anonymisation the file is compacted (default 1 minute:
 *                 a burst of single-member requests is compacted once)
 * @param maxDelay server mode on H2: how long after the first pending anonymisation the file is compacted even if
 *                 anonymisations keep coming (default 10 minutes)
 * @param check    server mode on H2: how often pending anonymisations are looked for (default 30 seconds); with
 *                 {@code delay} and {@code maxDelay}, the bound after which an anonymisation is gone from the file,
 *                 when no job runs
 * @param idleWait how long a compaction waits, the pool suspended, for the connections in use to come back before it
 *                 is postponed to the next check (default 30 seconds)
 * @param lockTimeout PostgreSQL: how long {@code residuePurgeJob} waits for each table's exclusive lock before it
 *                 fails, to be run again (default 30 seconds)
 */
@Validated
@ConfigurationProperties("anonymiser.residue")
public record ResidueProperties(
        @NotNull @DefaultValue("1m") Duration delay,
        @NotNull @DefaultValue("10m") Duration maxDelay,
        @NotNull @DefaultValue("30s") Duration check,
        @NotNull @DefaultValue("30s") Duration idleWait,
        @NotNull @DefaultValue("30s") Duration lockTimeout) {
}
