package org.clubanonymiser.export;

import java.time.Clock;

import org.clubanonymiser.exportrecord.ExportProperties;
import org.clubanonymiser.support.UserAccess;
import org.clubanonymiser.support.storage.StorageLayout;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code exportJob}: {@code exportManifestStep} judges the club's members and records the eligible ones in
 * the manifest, {@code exportWorkbookStep} renders the zipped workbook from it. Parameters, restart and files: see
 * docs/jobs.md. Also the export services the web layer and ops use ({@link ExportRecords},
 * {@link ExportFiles}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ExportProperties.class)
class ExportJobConfiguration {

    @Bean
    Job exportJob(JobRepository jobRepository, Step exportManifestStep, Step exportWorkbookStep,
            JdbcTemplate jdbcTemplate, UserAccess userAccess, ExportRecordListener exportRecordListener) {
        return new JobBuilder("exportJob", jobRepository)
            .validator(new ExportParameters.Validator(jdbcTemplate, userAccess))
            .listener(exportRecordListener)
            .start(exportManifestStep)
            .next(exportWorkbookStep)
            .build();
    }

    @Bean
    ExportRecordListener exportRecordListener(ExportRecords exportRecords, Clock clock) {
        return new ExportRecordListener(exportRecords, clock);
    }

    @Bean
    ExportRecords exportRecords(JdbcTemplate jdbcTemplate) {
        return new ExportRecords(jdbcTemplate);
    }

    @Bean
    ExportManifest exportManifest(JdbcTemplate jdbcTemplate) {
        return new ExportManifest(jdbcTemplate);
    }

    @Bean
    ExportFiles exportFiles(ExportRecords exportRecords, ExportManifest exportManifest, StorageLayout storageLayout,
            ExportProperties exportProperties, PlatformTransactionManager transactionManager, Clock clock) {
        return new ExportFiles(exportRecords, exportManifest, storageLayout, exportProperties,
                new TransactionTemplate(transactionManager), clock);
    }
}
