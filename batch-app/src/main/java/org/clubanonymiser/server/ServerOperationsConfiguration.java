package org.clubanonymiser.server;

import java.time.Clock;
import java.util.Collection;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;

import org.clubanonymiser.metrics.EligibleMembersGauge;
import org.clubanonymiser.support.database.H2FileCompaction;
import org.clubanonymiser.support.database.ResidueProperties;
import org.clubanonymiser.support.UserAccess;
import org.clubanonymiser.support.execution.ExecutionRecovery;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchDataSource;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.task.configuration.TaskProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.scheduling.support.CronExpression;

/**
 * What only server mode ({@code --anonymiser.mode=server}) runs: the refresh of the eligible-members gauge, the
 * nightly schedules of {@link ScheduleProperties} and, on an H2 file, the compaction after anonymisations
 * ({@link H2FileCompaction#compactIfDue()}). Task mode has none of it (no scheduler, no web server): a task runs
 * its job and exits. Schedules run on Spring's scheduler thread; {@link NightlyOperations} skips a run of a schedule
 * while its previous run is still going.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "anonymiser.mode", havingValue = "server")
@EnableScheduling
@EnableConfigurationProperties({ ScheduleProperties.class, MetricsProperties.class })
class ServerOperationsConfiguration {

    @Bean
    EligibleMembersGauge eligibleMembersGauge(NamedParameterJdbcTemplate namedParameterJdbcTemplate,
            MeterRegistry meterRegistry, Clock clock) {
        return new EligibleMembersGauge(namedParameterJdbcTemplate, meterRegistry, clock);
    }

    /**
     * Housekeeping where the job repository and Spring Cloud Task keep their tables: the {@link BatchDataSource} when
     * there are two databases (Data Flow's), else the one database; with the prefixes they are configured with.
     */
    @Bean
    MetadataHousekeeping metadataHousekeeping(DataSource dataSource,
            @BatchDataSource ObjectProvider<DataSource> batchDataSource, BatchJdbcProperties batchJdbcProperties,
            TaskProperties taskProperties) {
        return new MetadataHousekeeping(batchDataSource.getIfAvailable(() -> dataSource), dataSource,
                batchJdbcProperties.getTablePrefix() == null ? "BATCH_" : batchJdbcProperties.getTablePrefix(),
                taskProperties.getTablePrefix());
    }

    @Bean
    NightlyOperations nightlyOperations(JobOperator jobOperator, JobRepository jobRepository, Collection<Job> jobs,
            ExecutionRecovery executionRecovery, UserAccess userAccess, MetadataHousekeeping metadataHousekeeping,
            Clock clock, ScheduleProperties schedule) {
        return new NightlyOperations(jobOperator, jobRepository, jobs, executionRecovery, userAccess,
                metadataHousekeeping, clock, schedule.opsUser(), schedule.metadataRetention());
    }

    @Bean
    SchedulingConfigurer serverSchedules(EligibleMembersGauge eligibleMembersGauge,
            NightlyOperations nightlyOperations, MetricsProperties metrics, ScheduleProperties schedule,
            H2FileCompaction h2FileCompaction, ResidueProperties residue) {
        return registrar -> {
            // H2 in a local file: anonymised values gone from the file within anonymiser.residue.delay (at most
            // max-delay) + check of the anonymisation, later only while a job runs; a no-op on any other database.
            registrar.addFixedDelayTask(h2FileCompaction::compactIfDue, residue.check());
            if (!metrics.eligibleRefresh().isZero() && !metrics.eligibleRefresh().isNegative()) {
                registrar.addFixedDelayTask(eligibleMembersGauge::refresh, metrics.eligibleRefresh());
            }
            cron(registrar, schedule.export(), schedule.chainExport() ? nightlyOperations::exportChain
                    : nightlyOperations::exportClubs);
            cron(registrar, schedule.exportPurge(), nightlyOperations::purgeExports);
            cron(registrar, schedule.residuePurge(), nightlyOperations::purgeResidue);
            cron(registrar, schedule.recovery(), nightlyOperations::recoverDeadExecutions);
            cron(registrar, schedule.housekeeping(), nightlyOperations::deleteOldMetadata);
        };
    }

    private static void cron(ScheduledTaskRegistrar registrar, String expression, Runnable task) {
        if (!ScheduledTaskRegistrar.CRON_DISABLED.equals(expression.strip())) {
            // Parsed here so that a typo fails the start-up with the expression in the message.
            CronExpression.parse(expression.strip());
            registrar.addCronTask(task, expression.strip());
        }
    }
}
