package org.clubanonymiser.chainexport;

import java.time.Clock;
import java.util.Map;

import org.clubanonymiser.export.ExportRecords;
import org.clubanonymiser.support.UserAccess;

import org.slf4j.MDC;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * {@code chainExportJob}: every club of a chain exported in one job, one partition per club, each partition running
 * {@code exportJob}'s own steps for its club: {@code chainExportManifestStep} partitions {@code exportManifestStep},
 * then {@code chainExportWorkbookStep} partitions {@code exportWorkbookStep} (see {@link ClubPartitioner}). Each club
 * gets the export record, manifest and file {@code exportJob} would give it. Restart: only the partitions that did
 * not complete run again. Here the partitions run on a local thread pool ({@code anonymiser.partitioning.mode=local},
 * the default); {@link ChainExportRemotePartitioningConfiguration} replaces the two manager steps for
 * {@code manager} mode. Parameters, restart and files: see docs/jobs.md.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PartitioningProperties.class)
class ChainExportJobConfiguration {

    @Bean
    Job chainExportJob(JobRepository jobRepository, @Qualifier("chainExportManifestStep") Step chainExportManifestStep,
            @Qualifier("chainExportWorkbookStep") Step chainExportWorkbookStep,
            UserAccess userAccess, ChainExportRecordListener chainExportRecordListener) {
        return new JobBuilder("chainExportJob", jobRepository)
            .validator(new ChainExportJobParameters.Validator(userAccess))
            .listener(chainExportRecordListener)
            .start(chainExportManifestStep)
            .next(chainExportWorkbookStep)
            .build();
    }

    @Bean
    ChainExportRecordListener chainExportRecordListener(ExportRecords exportRecords, UserAccess userAccess,
            Clock clock) {
        return new ChainExportRecordListener(exportRecords, userAccess, clock);
    }

    @Bean
    @StepScope
    ClubPartitioner chainExportPartitioner(ExportRecords exportRecords,
            @Value("#{stepExecution.jobExecution.jobInstance.instanceId}") long jobInstanceId) {
        return new ClubPartitioner(exportRecords, jobInstanceId);
    }

    /** Local mode (and a worker, which never runs this job itself): the clubs on this JVM's threads. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression("!'${anonymiser.partitioning.mode:local}'.equalsIgnoreCase('manager')")
    static class LocalPartitioning {

        @Bean
        Step chainExportManifestStep(JobRepository jobRepository, Step exportManifestStep,
                ClubPartitioner chainExportPartitioner, PartitioningProperties partitioningProperties) {
            return partitioned("chainExportManifestStep", jobRepository, exportManifestStep, chainExportPartitioner,
                    partitioningProperties);
        }

        @Bean
        Step chainExportWorkbookStep(JobRepository jobRepository, Step exportWorkbookStep,
                ClubPartitioner chainExportPartitioner, PartitioningProperties partitioningProperties) {
            return partitioned("chainExportWorkbookStep", jobRepository, exportWorkbookStep, chainExportPartitioner,
                    partitioningProperties);
        }

        /** {@code clubStep} once per club, on this JVM's threads; the partitions are named after it. */
        private static Step partitioned(String name, JobRepository jobRepository, Step clubStep,
                ClubPartitioner chainExportPartitioner, PartitioningProperties partitioningProperties) {
            return new StepBuilder(name, jobRepository).partitioner(clubStep.getName(), chainExportPartitioner)
                .step(clubStep)
                .taskExecutor(clubThreads(partitioningProperties))
                .build();
        }

        /**
         * Not a bean: a TaskExecutor bean would make Spring Boot drop its own application task executor. Threads are
         * made per partition and end with it; the limit makes the partition handler wait for a free slot. Each
         * carries the launching thread's logging context (the job and execution ids, see JobLoggingContext).
         */
        private static SimpleAsyncTaskExecutor clubThreads(PartitioningProperties properties) {
            SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("chain-export-");
            executor.setConcurrencyLimit(properties.threads());
            executor.setTaskDecorator(partition -> {
                Map<String, String> logging = MDC.getCopyOfContextMap();
                return () -> {
                    if (logging != null) {
                        MDC.setContextMap(logging);
                    }
                    try {
                        partition.run();
                    }
                    finally {
                        MDC.clear();
                    }
                };
            });
            return executor;
        }
    }
}
