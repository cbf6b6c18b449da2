package org.clubanonymiser.privacy;

import java.time.Clock;

import org.clubanonymiser.anonymisation.AnonymisationPlan;
import org.clubanonymiser.anonymisation.PrivacyProperties;
import org.clubanonymiser.support.execution.JobParametersDefaults;
import org.clubanonymiser.support.execution.TaskletJobs;
import org.clubanonymiser.support.storage.StorageLayout;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code privacyReportJob importId=<id> | memberId=<id> | from=<date> [to=<date>] [clubId=<id>]}: writes the privacy
 * report of one import, one member's anonymisation or a period to {@code <storage-dir>/reports/} as CSV and HTML
 * (docs/privacy.md). Read-only on the database. Every run is a new instance ({@code generatedAt}, the launch time, is
 * added as an identifying parameter, as {@code exportPurgeJob} does with {@code asOf}): a report is simply run again.
 */
@Configuration(proxyBeanMethods = false)
public class PrivacyReportJobConfiguration {

    @Bean
    Job privacyReportJob(JobRepository jobRepository, Step privacyReportStep,
            NamedParameterJdbcTemplate namedParameterJdbcTemplate) {
        return TaskletJobs.oneStep(PrivacyReportJobParameters.JOB_NAME, jobRepository,
                new PrivacyReportJobParameters.Validator(namedParameterJdbcTemplate), privacyReportStep);
    }

    @Bean
    Step privacyReportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            PrivacyReportTasklet privacyReportTasklet) {
        return TaskletJobs.step("privacyReportStep", jobRepository, privacyReportTasklet, transactionManager).build();
    }

    @Bean
    PrivacyReportTasklet privacyReportTasklet(PrivacyReports privacyReports, PrivacyReportFiles privacyReportFiles) {
        return new PrivacyReportTasklet(privacyReports, privacyReportFiles);
    }

    @Bean
    public PrivacyReports privacyReports(NamedParameterJdbcTemplate namedParameterJdbcTemplate,
            PrivacyProperties privacyProperties, Clock clock) {
        return new PrivacyReports(namedParameterJdbcTemplate, privacyProperties, clock, AnonymisationPlan.VERSION);
    }

    @Bean
    PrivacyReportFiles privacyReportFiles(StorageLayout storageLayout) {
        return new PrivacyReportFiles(storageLayout);
    }

    @Bean
    JobParametersDefaults privacyReportJobDefaults(Clock clock) {
        return PrivacyReportJobParameters.defaults(clock);
    }
}
