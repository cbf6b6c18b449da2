package org.clubanonymiser.web.jobs;

import java.util.concurrent.CompletableFuture;

import org.clubanonymiser.metrics.EligibleMembersGauge;
import org.clubanonymiser.support.execution.ExecutionRecovery;
import org.clubanonymiser.support.execution.JobLaunchGuard;
import org.clubanonymiser.web.ServerMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The web layer's job launching: its own {@link TaskExecutorJobOperator} on a dedicated pool
 * ({@code anonymiser.web.job-threads}, default 2), deliberately not a bean of type {@link JobOperator}: the
 * application's synchronous operator stays the only one that task mode, the schedules and the tests inject. After each
 * web-launched job, the eligible-members gauge is counted again (one set-based query per club), so the dashboard
 * shows an import's effect without waiting for the hourly refresh.
 */
@ServerMode
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebJobsConfiguration.WebJobsProperties.class)
class WebJobsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WebJobsConfiguration.class);

    /**
     * Web job launching ({@code anonymiser.web.*}).
     *
     * @param jobThreads jobs the web layer runs at once; more wait in the pool's queue
     */
    @ConfigurationProperties("anonymiser.web")
    record WebJobsProperties(@DefaultValue("2") int jobThreads) {
    }

    @Bean(destroyMethod = "shutdown")
    ThreadPoolTaskExecutor webJobExecutor(WebJobsProperties properties) {
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setCorePoolSize(Math.max(1, properties.jobThreads()));
        pool.setMaxPoolSize(Math.max(1, properties.jobThreads()));
        pool.setThreadNamePrefix("web-job-");
        // Shutting down lets running jobs end their chunk; one cut short is recovered by the next relaunch.
        pool.setWaitForTasksToCompleteOnShutdown(false);
        pool.initialize();
        return pool;
    }

    @Bean
    WebJobLauncher webJobLauncher(JobRepository jobRepository, JobRegistry jobRegistry,
            ThreadPoolTaskExecutor webJobExecutor, JobLaunchGuard jobLaunchGuard, ExecutionRecovery executionRecovery,
            ObjectProvider<EligibleMembersGauge> eligibleMembersGauge) throws Exception {
        ThreadLocal<CompletableFuture<Void>> submitted = new ThreadLocal<>();
        TaskExecutorJobOperator operator = new TaskExecutorJobOperator();
        operator.setJobRepository(jobRepository);
        operator.setJobRegistry(jobRegistry);
        operator.setTaskExecutor(WebJobLauncher.tracking(webJobExecutor, submitted, () -> {
            EligibleMembersGauge gauge = eligibleMembersGauge.getIfAvailable();
            if (gauge != null) {
                try {
                    gauge.refresh();
                }
                catch (RuntimeException ex) {
                    log.warn("Eligible members not recounted after a job: {}", ex.getMessage());
                }
            }
        }));
        operator.afterPropertiesSet();
        JobOperator guarded = (JobOperator) jobLaunchGuard.postProcessAfterInitialization(operator, "webJobOperator");
        return new WebJobLauncher(guarded, submitted, executionRecovery, jobLaunchGuard);
    }
}
