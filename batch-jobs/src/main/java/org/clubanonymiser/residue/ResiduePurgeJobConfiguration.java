package org.clubanonymiser.residue;

import java.time.Clock;

import javax.sql.DataSource;

import org.clubanonymiser.anonymisation.AnonymisationPlan;
import org.clubanonymiser.support.database.DatabasePlatform;
import org.clubanonymiser.support.execution.JobParametersDefaults;
import org.clubanonymiser.support.execution.TaskletJobs;
import org.clubanonymiser.support.database.ResidueMarkers;
import org.clubanonymiser.support.database.ResidueProperties;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code residuePurgeJob [runAt=<date-time>]}: removes anonymised values from the product database's files
 * ({@link ResiduePurgeTasklet}). Parameters: {@link ResiduePurgeJobParameters} (every run is a new instance).
 * Idempotent: a failed run is run again.
 */
@Configuration(proxyBeanMethods = false)
class ResiduePurgeJobConfiguration {

    @Bean
    Job residuePurgeJob(JobRepository jobRepository, Step residuePurgeStep) {
        return TaskletJobs.oneStep(ResiduePurgeJobParameters.JOB_NAME, jobRepository,
                new ResiduePurgeJobParameters.Validator(), residuePurgeStep);
    }

    @Bean
    Step residuePurgeStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ResiduePurgeTasklet residuePurgeTasklet) {
        return TaskletJobs.step("residuePurgeStep", jobRepository, residuePurgeTasklet, transactionManager).build();
    }

    /** Step-scoped: the platform is read when the step runs, not when the context starts. */
    @Bean
    @StepScope
    ResiduePurgeTasklet residuePurgeTasklet(DataSource dataSource, JdbcTemplate jdbcTemplate,
            ResidueProperties residueProperties) {
        return new ResiduePurgeTasklet(DatabasePlatform.of(dataSource),
                new PostgresResiduePurge(dataSource, residueProperties.lockTimeout()), new ResidueMarkers(jdbcTemplate),
                ResidueTables.of(AnonymisationPlan.current()));
    }

    @Bean
    JobParametersDefaults residuePurgeJobDefaults(Clock clock) {
        return ResiduePurgeJobParameters.defaults(clock);
    }
}
