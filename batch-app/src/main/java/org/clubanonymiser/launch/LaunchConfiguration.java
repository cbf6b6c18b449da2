package org.clubanonymiser.launch;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

import org.clubanonymiser.importing.ImportJobParameters;
import org.clubanonymiser.importing.ImportJobParametersConverter;
import org.clubanonymiser.support.execution.ExecutionHeartbeat;
import org.clubanonymiser.support.execution.ExecutionRecovery;

import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.converter.DefaultJobParametersConverter;
import org.springframework.batch.core.converter.JobParametersConverter;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.batch.autoconfigure.JobLauncherApplicationRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.StringUtils;

/**
 * Launch-time behaviour around Spring Cloud Task's job runner (which does the launching itself, the Data Flow way):
 * recovering a crashed execution before it, and telling a user who gave no job name what there is to run.
 * See docs/jobs.md.
 */
@Configuration(proxyBeanMethods = false)
class LaunchConfiguration {

    /**
     * Before the job runner (order 0): if the last execution of the same job instance was left STARTED by a dead
     * process, mark it FAILED so the runner restarts it; refuse the launch if it is still alive.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ApplicationRunner staleExecutionRecoveryRunner(Environment environment, ExecutionRecovery recovery,
            JobParametersConverter taskJobParametersConverter) {
        return args -> {
            if (LaunchMode.of(environment) != LaunchMode.TASK) {
                return;
            }
            String jobName = environment.getRequiredProperty(LaunchMode.JOB_NAME_PROPERTY);
            recovery.recoverIfDead(jobName, jobParameters(args, taskJobParametersConverter));
        };
    }

    /**
     * How task-mode arguments become job parameters: the default {@code key=value[,type[,identifying]]} notation,
     * plus, for {@code importJob}, the identifying {@code fileChecksum} of the given {@code file} (so
     * {@code file=... requestedBy=...} is the whole launch, and the same command restarts a failed import), or the
     * parameters of an earlier import given as {@code importId=<id>} (restart by id).
     */
    @Bean
    JobParametersConverter taskJobParametersConverter(Environment environment, JdbcTemplate jdbcTemplate,
            ObjectProvider<JobRepository> jobRepository) {
        return ImportJobParameters.JOB_NAME.equals(environment.getProperty(LaunchMode.JOB_NAME_PROPERTY))
                ? new ImportJobParametersConverter(jdbcTemplate, jobRepository::getObject)
                : new DefaultJobParametersConverter();
    }

    /** Spring Cloud Task's job runner takes no converter bean of its own accord: hand it ours. */
    @Bean
    static BeanPostProcessor jobRunnerParametersConverter(ObjectProvider<JobParametersConverter> converter) {
        return TypedBeanPostProcessor.of(JobLauncherApplicationRunner.class,
                runner -> runner.setJobParametersConverter(converter.getObject()));
    }

    /**
     * Where Spring Cloud Task's job runner looks up the job named by {@code --spring.batch.job.name}: Spring Batch 6
     * no longer defines one, and without it task mode fails at start-up. Batch 6's map registry registers every
     * {@code Job} bean of the context by itself; in a lazily initialised task process, only the named job (see
     * {@link TaskStartupConfiguration}).
     */
    @Bean
    @ConditionalOnMissingBean(JobRegistry.class)
    MapJobRegistry jobRegistry(Environment environment) {
        return new TaskStartupConfiguration.SelectedJobRegistry(TaskStartupConfiguration.selectedJob(environment));
    }

    /**
     * A SIGTERM stops this process's running executions at a chunk boundary (STOPPED, restartable) instead of
     * killing them mid-chunk; see {@link GracefulJobShutdown}.
     */
    @Bean
    GracefulJobShutdown gracefulJobShutdown(ExecutionHeartbeat executionHeartbeat, JobRepository jobRepository,
            ApplicationEventPublisher applicationEventPublisher,
            @Value("${anonymiser.shutdown.stop-timeout:25s}") Duration stopTimeout) {
        return new GracefulJobShutdown(executionHeartbeat, jobRepository, applicationEventPublisher, stopTimeout);
    }

    @Bean
    ApplicationRunner noJobGuard(Environment environment, ObjectProvider<Job> jobs) {
        return args -> {
            if (LaunchMode.of(environment) == LaunchMode.NONE) {
                throw new NoJobException(jobs.stream().map(Job::getName).sorted(Comparator.naturalOrder()).toList());
            }
        };
    }

    /** The parameters the job runner will build from the same arguments, to find the same job instance. */
    static JobParameters jobParameters(ApplicationArguments args, JobParametersConverter converter) {
        Properties properties = StringUtils.splitArrayElementsIntoProperties(
                args.getNonOptionArgs().toArray(String[]::new), "=");
        // No key=value argument at all gives null, as in the job runner, which then uses no parameters.
        return converter.getJobParameters(properties == null ? new Properties() : properties);
    }

    /**
     * Started with neither a job name nor server mode: a failure (non-zero exit, recorded by Spring Cloud Task),
     * reported by {@link JobLaunchFailureAnalyzer} as the list of jobs.
     */
    static class NoJobException extends RuntimeException {

        private final List<String> jobNames;

        NoJobException(List<String> jobNames) {
            super("No job to run");
            this.jobNames = jobNames;
        }

        List<String> jobNames() {
            return jobNames;
        }
    }
}
