package org.clubanonymiser.server;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The nightly schedules of server mode ({@code anonymiser.schedule.*}), each a Spring cron expression
 * ({@code second minute hour day month weekday}); {@code "-"} leaves a schedule off. Off by default, except the
 * export purge and the residue purge: expired export files, and anonymised values in the database's files (personal
 * data), must not outlive their retention.
 *
 * @param export            the export of every club of {@code opsUser} at 36 months, named {@code nightly-<date>}
 * @param exportPurge       {@code exportPurgeJob}: expired export files, and uploads of failed imports (default
 *                          {@value #DEFAULT_EXPORT_PURGE}, every night at 03:30)
 * @param residuePurge      {@code residuePurgeJob}: on PostgreSQL, the tables holding anonymised values rewritten, so
 *                          that no old value stays in their files (default {@value #DEFAULT_RESIDUE_PURGE}, every
 *                          night at 03:45, after the export purge, whose erased manifest values it removes too)
 * @param recovery          recovery of executions left STARTED by a dead process
 * @param housekeeping      deletion of job instances (BATCH_* metadata) and task executions (TASK_*) ended before
 *                          {@code metadataRetention}
 * @param opsUser           the username the nightly exports are requested by: must exist and be an ADMIN or
 *                          granted mass anonymisation; only its clubs are exported
 * @param metadataRetention how long finished job instances and task executions are kept (default 90 days); a
 *                          task execution stays as long as one of its job executions does
 * @param chainExport       {@code true}: the nightly export is one {@code chainExportJob} (one partition per club,
 *                          see {@code anonymiser.partitioning.*}) instead of one {@code exportJob} per club
 */
@Validated
@ConfigurationProperties("anonymiser.schedule")
public record ScheduleProperties(
        @NotNull @DefaultValue("-") String export,
        @NotNull @DefaultValue(DEFAULT_EXPORT_PURGE) String exportPurge,
        @NotNull @DefaultValue("-") String recovery,
        @NotNull @DefaultValue("-") String housekeeping,
        String opsUser,
        @NotNull @DefaultValue("90d") Duration metadataRetention,
        @DefaultValue("false") boolean chainExport,
        @NotNull @DefaultValue(DEFAULT_RESIDUE_PURGE) String residuePurge) {

    /** Every night at 03:30. */
    public static final String DEFAULT_EXPORT_PURGE = "0 30 3 * * *";

    /** Every night at 03:45. */
    public static final String DEFAULT_RESIDUE_PURGE = "0 45 3 * * *";
}
