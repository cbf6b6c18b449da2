package org.clubanonymiser.purge;

import java.time.Clock;

import org.clubanonymiser.export.ExportFiles;
import org.clubanonymiser.exportrecord.ExportProperties;
import org.clubanonymiser.support.execution.JobParameterValues;
import org.clubanonymiser.support.execution.JobParametersDefaults;
import org.clubanonymiser.support.execution.TaskletJobs;
import org.clubanonymiser.support.storage.FailedUploadPurge;
import org.clubanonymiser.support.storage.StorageLayout;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code exportPurgeJob [asOf=<date or date-time>]}: deletes the files, and erases the manifest values, of exports
 * older than {@code anonymiser.export.retention} (see {@link ExportFiles#purgeExpired}). Parameters:
 * {@link ExportPurgeJobParameters}. Idempotent: a failed run is simply run again.
 */
@Configuration(proxyBeanMethods = false)
class ExportPurgeJobConfiguration {

    @Bean
    Job exportPurgeJob(JobRepository jobRepository, Step exportPurgeStep) {
        return TaskletJobs.oneStep(ExportPurgeJobParameters.JOB_NAME, jobRepository,
                new ExportPurgeJobParameters.Validator(), exportPurgeStep);
    }

    @Bean
    Step exportPurgeStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ExportPurgeTasklet exportPurgeTasklet) {
        return TaskletJobs.step("exportPurgeStep", jobRepository, exportPurgeTasklet, transactionManager).build();
    }

    @Bean
    @StepScope
    ExportPurgeTasklet exportPurgeTasklet(ExportFiles exportFiles, FailedUploadPurge failedUploadPurge,
            ExportProperties exportProperties, @Value("#{stepExecution}") StepExecution stepExecution) {
        return new ExportPurgeTasklet(exportFiles, failedUploadPurge, exportProperties, JobParameterValues
            .accepted(ExportPurgeJobParameters::from, stepExecution.getJobExecution().getJobParameters())
            .asOf());
    }

    @Bean
    FailedUploadPurge failedUploadPurge(JdbcTemplate jdbcTemplate, StorageLayout storageLayout) {
        return new FailedUploadPurge(jdbcTemplate, storageLayout);
    }

    @Bean
    JobParametersDefaults exportPurgeJobDefaults(Clock clock) {
        return ExportPurgeJobParameters.defaults(clock);
    }
}
