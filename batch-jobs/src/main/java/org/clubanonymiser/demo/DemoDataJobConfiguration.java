package org.clubanonymiser.demo;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.clubanonymiser.support.execution.TaskletJobs;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code demoDataJob}: seeds an empty member database with a realistic, deterministic member base. Three
 * steps: {@code demoDataSetupStep} (refuse a non-empty database; clubs, users, past imports),
 * {@code demoDataMemberStep} (chunks of member ids; each chunk generates its members and inserts all their rows),
 * {@code demoDataSummaryStep} (counts). Restartable: a failed run resumes after its last committed chunk, with the
 * same data. Parameters: {@link DemoDataJobParameters}; distribution: {@link DemoMemberGenerator}; users:
 * {@link DemoDirectory}. The heartbeat and logging listeners are added by the support module's registrar. See
 * docs/jobs.md.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DemoDataProperties.class)
class DemoDataJobConfiguration {

    @Bean
    Job demoDataJob(JobRepository jobRepository, Step demoDataSetupStep, Step demoDataMemberStep,
            Step demoDataSummaryStep, Clock clock) {
        return new JobBuilder("demoDataJob", jobRepository)
            .validator(new DemoDataJobParameters.Validator(clock))
            .start(demoDataSetupStep)
            .next(demoDataMemberStep)
            .next(demoDataSummaryStep)
            .build();
    }

    @Bean
    Step demoDataSetupStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcTemplate jdbcTemplate, Clock clock) {
        return TaskletJobs.step("demoDataSetupStep", jobRepository, new DemoDataSetupTasklet(jdbcTemplate, clock),
                transactionManager).build();
    }

    @Bean
    Step demoDataMemberStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            MemberIdReader demoDataMemberReader, DemoMemberWriter demoDataMemberWriter,
            DemoDataProperties properties) {
        return new StepBuilder("demoDataMemberStep", jobRepository)
            .<Long, Long>chunk(properties.chunkSize())
            .transactionManager(transactionManager)
            .reader(demoDataMemberReader)
            .writer(demoDataMemberWriter)
            .build();
    }

    @Bean
    Step demoDataSummaryStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcTemplate jdbcTemplate) {
        return TaskletJobs.step("demoDataSummaryStep", jobRepository, new DemoDataSummaryTasklet(jdbcTemplate),
                transactionManager).build();
    }

    @Bean
    @StepScope
    MemberIdReader demoDataMemberReader(@Value("#{stepExecution}") StepExecution stepExecution) {
        DemoDataJobParameters parameters = DemoDataJobParameters.of(stepExecution.getJobExecution().getExecutionContext());
        return new MemberIdReader("demoDataMemberReader", parameters.members());
    }

    @Bean
    @StepScope
    DemoMemberWriter demoDataMemberWriter(@Value("#{stepExecution}") StepExecution stepExecution,
            JdbcTemplate jdbcTemplate) {
        DemoDataJobParameters parameters = DemoDataJobParameters.of(stepExecution.getJobExecution().getExecutionContext());
        DemoMemberGenerator generator = new DemoMemberGenerator(parameters.seed(), parameters.asOf(),
                DemoDirectory.clubs(parameters.clubs()));
        Map<Long, Long> importIdByClub = new HashMap<>();
        jdbcTemplate.query("select id, club_id from anonymisation_import where file_name like ?",
                rs -> {
                    importIdByClub.put(rs.getLong("club_id"), rs.getLong("id"));
                }, DemoDataSetupTasklet.HISTORY_FILE_PREFIX + "%");
        return new DemoMemberWriter(jdbcTemplate, generator, importIdByClub);
    }
}
