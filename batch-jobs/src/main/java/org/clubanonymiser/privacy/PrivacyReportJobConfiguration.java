package org.clubanonymiser.privacy;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

import org.clubanonymiser.anonymisation.AnonymisationPlan;
import org.clubanonymiser.anonymisation.PrivacyProperties;
import org.clubanonymiser.support.execution.JobParametersDefaults;
import org.clubanonymiser.support.storage.StorageLayout;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
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
            JobParametersValidator privacyReportParametersValidator) {
        return new JobBuilder(PrivacyReportParameters.JOB_NAME, jobRepository)
            .validator(privacyReportParametersValidator)
            .start(privacyReportStep)
            .build();
    }

    @Bean
    Step privacyReportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            PrivacyReportTasklet privacyReportTasklet) {
        return new StepBuilder("privacyReportStep", jobRepository).tasklet(privacyReportTasklet, transactionManager)
            .build();
    }

    @Bean
    @StepScope
    PrivacyReportTasklet privacyReportTasklet(PrivacyReports privacyReports, PrivacyReportFiles privacyReportFiles,
            @Value("#{stepExecution}") StepExecution stepExecution) throws InvalidJobParametersException {
        return new PrivacyReportTasklet(privacyReports, privacyReportFiles,
                PrivacyReportParameters.scope(stepExecution.getJobExecution().getJobParameters()));
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

    /** Parameters well formed, and the import, member or club they name known; before any job instance exists. */
    @Bean
    JobParametersValidator privacyReportParametersValidator(NamedParameterJdbcTemplate namedParameterJdbcTemplate) {
        return parameters -> {
            ReportScope scope = PrivacyReportParameters.scope(parameters);
            switch (scope.kind()) {
                case IMPORT -> known(namedParameterJdbcTemplate, "select count(*) from anonymisation_import where id = :id",
                        scope.importId(), "No import " + scope.importId());
                case MEMBER -> known(namedParameterJdbcTemplate,
                        "select count(*) from anonymisation_ledger where member_id = :id", scope.memberId(),
                        "Member " + scope.memberId() + " has not been anonymised");
                case PERIOD -> {
                    for (Long club : scope.clubIds()) {
                        known(namedParameterJdbcTemplate, "select count(*) from club where id = :id", club,
                                "No club " + club);
                    }
                }
            }
        };
    }

    private static void known(NamedParameterJdbcTemplate jdbc, String sql, long id, String refusal)
            throws InvalidJobParametersException {
        Long count = jdbc.queryForObject(sql, new MapSqlParameterSource("id", id), Long.class);
        if (count == null || count == 0) {
            throw new InvalidJobParametersException(refusal);
        }
    }

    /** Adds {@code generatedAt} (the launch time) and, to a period without {@code to}, the launch day. */
    @Bean
    JobParametersDefaults privacyReportJobDefaults(Clock clock) {
        return new JobParametersDefaults() {

            @Override
            public String jobName() {
                return PrivacyReportParameters.JOB_NAME;
            }

            @Override
            public JobParameters complete(JobParameters given) {
                LocalDateTime now = LocalDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
                JobParametersBuilder builder = new JobParametersBuilder(given);
                if (given.getParameter(PrivacyReportParameters.GENERATED_AT) == null) {
                    builder.addJobParameter(new JobParameter<>(PrivacyReportParameters.GENERATED_AT, now,
                            LocalDateTime.class, true));
                }
                if (given.getParameter(PrivacyReportParameters.FROM) != null
                        && given.getParameter(PrivacyReportParameters.TO) == null) {
                    builder.addString(PrivacyReportParameters.TO, LocalDate.from(now).toString());
                }
                return builder.toJobParameters();
            }
        };
    }
}
