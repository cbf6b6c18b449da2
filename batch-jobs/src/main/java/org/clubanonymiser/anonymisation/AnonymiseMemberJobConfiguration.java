package org.clubanonymiser.anonymisation;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.clubanonymiser.anonymisation.SingleMemberAnonymiser.Channel;
import org.clubanonymiser.support.UserAccess;
import org.clubanonymiser.support.execution.TaskletJobs;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code anonymiseMemberJob} (task mode, ops and Data Flow): one member anonymised on request by
 * {@link SingleMemberAnonymiser}, the same service the REST API and the member page call. One tasklet step; the job
 * ends COMPLETED with exit status {@code ANONYMISED} or {@code ALREADY_ANONYMISED} (exit code 0), or FAILED with
 * {@code REFUSED:<code>} ({@link SingleRefusal}) and exit code 1. No incrementer: relaunching the same
 * {@code memberId=... requestedBy=...} restarts a refused (FAILED) instance, which judges the member again. See
 * docs/jobs.md.
 */
@Configuration(proxyBeanMethods = false)
public class AnonymiseMemberJobConfiguration {

    @Bean
    Job anonymiseMemberJob(JobRepository jobRepository, Step anonymiseMemberStep) {
        return new JobBuilder(AnonymiseMemberJobParameters.JOB_NAME, jobRepository)
            .validator(new AnonymiseMemberJobParameters.Validator())
            .listener(new JobExecutionListener() {
                @Override
                public void afterJob(JobExecution execution) {
                    // The job's exit status is its step's: ANONYMISED, ALREADY_ANONYMISED or REFUSED:<code>.
                    execution.getStepExecutions().stream()
                        .map(StepExecution::getExitStatus)
                        .filter(exit -> exit.getExitCode().startsWith("REFUSED:")
                                || exit.getExitCode().endsWith("ANONYMISED"))
                        .findFirst()
                        .ifPresent(execution::setExitStatus);
                }
            })
            .start(anonymiseMemberStep).on("REFUSED:*").fail()
            .from(anonymiseMemberStep).on("*").end()
            .end()
            .build();
    }

    /** Run again on every restart: a refused member is judged again. */
    @Bean
    Step anonymiseMemberStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            SingleMemberAnonymiser singleMemberAnonymiser) {
        Tasklet tasklet = (contribution, chunkContext) -> {
            StepExecution step = contribution.getStepExecution();
            AnonymiseMemberJobParameters request = AnonymiseMemberJobParameters.from(
                    step.getJobExecution().getJobParameters());
            SingleAnonymisation outcome = singleMemberAnonymiser.anonymise(request.memberId(), request.requestedBy(),
                    request.reason(), Channel.TASK, step.getJobExecutionId());
            contribution.setExitStatus(outcome.outcome() == SingleAnonymisation.Outcome.REFUSED
                    ? new ExitStatus("REFUSED:" + outcome.refusal().name(), "single-member anonymisation refused: "
                            + outcome.refusal().name())
                    : new ExitStatus(outcome.code()));
            return RepeatStatus.FINISHED;
        };
        return TaskletJobs.step("anonymiseMemberStep", jobRepository, tasklet, transactionManager)
            .allowStartIfComplete(true)
            .build();
    }

    @Bean
    SingleMemberAnonymiser singleMemberAnonymiser(NamedParameterJdbcTemplate namedParameterJdbcTemplate,
            PlatformTransactionManager transactionManager, UserAccess userAccess,
            SingleMemberMetrics singleMemberMetrics, Clock clock,
            ObjectProvider<SingleMemberAnonymiser.Hook> singleMemberHook, PrivacyProperties privacyProperties) {
        return new SingleMemberAnonymiser(namedParameterJdbcTemplate, transactionManager, userAccess,
                singleMemberMetrics, clock, singleMemberHook.getIfAvailable(() -> SingleMemberAnonymiser.Hook.NONE),
                privacyProperties.creationDatePrecision());
    }

    /** The application's meter registry (Prometheus in server mode), or Micrometer's global one without it. */
    @Bean
    SingleMemberMetrics singleMemberMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
        return new SingleMemberMetrics(meterRegistry.getIfAvailable(() -> Metrics.globalRegistry));
    }
}
