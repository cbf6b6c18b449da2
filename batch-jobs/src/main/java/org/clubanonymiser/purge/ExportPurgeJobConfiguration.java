package org.clubanonymiser.purge;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Date;

import org.clubanonymiser.export.ExportFiles;
import org.clubanonymiser.exportrecord.ExportProperties;
import org.clubanonymiser.support.execution.JobParametersDefaults;
import org.clubanonymiser.support.storage.FailedUploadPurge;
import org.clubanonymiser.support.storage.StorageLayout;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code exportPurgeJob [asOf=<date or date-time>]}: deletes the files, and erases the manifest values, of exports
 * older than {@code anonymiser.export.retention} (see {@link ExportFiles#purgeExpired}). Without {@code asOf}, the
 * launch time (to the millisecond) is added as the identifying {@code asOf}, so a scheduled run needs no parameter
 * and every run is a new instance (an incrementer would do the same but make Spring Batch ignore a given
 * {@code asOf}). Idempotent: a failed run is simply run again.
 */
@Configuration(proxyBeanMethods = false)
class ExportPurgeJobConfiguration {

    static final String AS_OF = "asOf";

    @Bean
    Job exportPurgeJob(JobRepository jobRepository, Step exportPurgeStep) {
        return new JobBuilder("exportPurgeJob", jobRepository)
            .validator(parameters -> asOf(parameters.getParameter(AS_OF) == null ? null
                    : parameters.getParameter(AS_OF).value()))
            .start(exportPurgeStep)
            .build();
    }

    @Bean
    Step exportPurgeStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ExportPurgeTasklet exportPurgeTasklet) {
        return new StepBuilder("exportPurgeStep", jobRepository).tasklet(exportPurgeTasklet, transactionManager)
            .build();
    }

    @Bean
    @StepScope
    ExportPurgeTasklet exportPurgeTasklet(ExportFiles exportFiles, FailedUploadPurge failedUploadPurge,
            ExportProperties exportProperties, @Value("#{jobParameters['asOf']}") Object asOf)
            throws InvalidJobParametersException {
        return new ExportPurgeTasklet(exportFiles, failedUploadPurge, exportProperties, asOf(asOf));
    }

    @Bean
    FailedUploadPurge failedUploadPurge(JdbcTemplate jdbcTemplate, StorageLayout storageLayout) {
        return new FailedUploadPurge(jdbcTemplate, storageLayout);
    }

    @Bean
    JobParametersDefaults exportPurgeJobDefaults(Clock clock) {
        return JobParametersDefaults.launchTime("exportPurgeJob", AS_OF, clock);
    }

    /** A date means the start of that day. */
    static LocalDateTime asOf(Object value) throws InvalidJobParametersException {
        if (value == null) {
            throw new InvalidJobParametersException("asOf is required (it defaults to the launch time)");
        }
        if (value instanceof LocalDateTime dateTime) {
            return dateTime;
        }
        if (value instanceof LocalDate date) {
            return date.atStartOfDay();
        }
        if (value instanceof Date date) {
            return LocalDateTime.ofInstant(date.toInstant(), ZoneId.systemDefault());
        }
        String text = value.toString().strip();
        try {
            return text.contains("T") ? LocalDateTime.parse(text) : LocalDate.parse(text).atStartOfDay();
        }
        catch (DateTimeParseException ex) {
            throw new InvalidJobParametersException(
                    "asOf must be a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM:SS), got '" + text + "'");
        }
    }
}
