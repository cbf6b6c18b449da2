package org.clubanonymiser.chainexport;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How {@code chainExportJob} spreads its clubs ({@code anonymiser.partitioning.*}). See docs/jobs.md,
 * "Where the clubs run".
 *
 * @param mode         {@code local}: every club on this JVM's thread pool; {@code manager}: this JVM sends one
 *                     request per club to the broker and waits for the workers; {@code worker}: this JVM runs the
 *                     clubs it receives from the broker (and nothing else)
 * @param threads      local mode: clubs exported at the same time
 * @param requestQueue remote modes: the JMS queue of partition requests, shared by the manager and its workers
 * @param pollInterval manager: how often it reads the job repository for its workers' progress
 * @param timeout      manager: how long it waits for all clubs before it fails the step (0: no limit)
 */
@Validated
@ConfigurationProperties("anonymiser.partitioning")
public record PartitioningProperties(
        @NotNull @DefaultValue("local") Mode mode,
        @Min(1) @Max(64) @DefaultValue("4") int threads,
        @NotBlank @DefaultValue("anonymiser.chain-export.requests") String requestQueue,
        @NotNull @DefaultValue("1s") Duration pollInterval,
        @NotNull @DefaultValue("0s") Duration timeout) {

    /** Where the partitions of {@code chainExportJob} run. */
    public enum Mode {
        LOCAL, MANAGER, WORKER
    }
}
