package org.clubanonymiser.support;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings shared by every job ({@code anonymiser.*}).
 *
 * @param storageDir where exports, error files, uploads and the product's temp dir live ({@code ./data} by default)
 * @param recovery   how a relaunch treats an execution left STARTED by a crash
 */
@Validated
@ConfigurationProperties("anonymiser")
public record AnonymiserProperties(
        @NotNull @DefaultValue("./data") Path storageDir,
        @Valid @NotNull @DefaultValue Recovery recovery) {

    /**
     * @param lease a STARTED execution whose last heartbeat is older than this is considered dead and may be
     *              recovered (marked FAILED, then restarted); a fresher one is refused (default 2 minutes)
     * @param heartbeat how often a running execution beats (default 10 seconds; must be well under the lease)
     */
    public record Recovery(
            @NotNull @DefaultValue("2m") Duration lease,
            @NotNull @DefaultValue("10s") Duration heartbeat) {
    }
}
