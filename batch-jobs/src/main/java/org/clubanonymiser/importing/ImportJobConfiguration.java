package org.clubanonymiser.importing;

import java.nio.file.Path;
import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.clubanonymiser.exportrecord.ExportProperties;
import org.clubanonymiser.support.UserAccess;
import org.clubanonymiser.support.database.H2FileCompaction;
import org.clubanonymiser.support.execution.TaskletJobs;
import org.clubanonymiser.support.storage.ImportedExportPurge;
import org.clubanonymiser.support.storage.StorageLayout;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code importJob}: gate the file, anonymise its rows, render the error file, complete. The anonymising
 * step is in {@link ImportAnonymiseStepConfiguration}. Parameters, refusal and rejection codes, restart and error file
 * are described in docs/jobs.md and docs/reference.md.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ ImportProperties.class, ExportProperties.class })
public class ImportJobConfiguration {

    /**
     * The flow: a gate exiting {@code REFUSED:<code>} (or failing) fails the job before any member is touched; a
     * failure anywhere later fails it too, restartable with the same parameters. No incrementer: relaunching the same
     * {@code file=... requestedBy=...} restarts the failed instance.
     */
    @Bean
    Job importJob(JobRepository jobRepository, Step importFileGateStep, Step importAnonymiseStep,
            Step importErrorFileStep, Step importCompletionStep,
            ImportJobListener importJobListener) {
        return new JobBuilder(ImportJobParameters.JOB_NAME, jobRepository)
            .validator(new ImportJobParameters.Validator())
            .listener(importJobListener)
            .start(importFileGateStep).on("COMPLETED").to(importAnonymiseStep)
            .from(importFileGateStep).on("*").fail()
            .from(importAnonymiseStep).on("COMPLETED").to(importErrorFileStep)
            .from(importAnonymiseStep).on("*").fail()
            .from(importErrorFileStep).on("COMPLETED").to(importCompletionStep)
            .from(importErrorFileStep).on("*").fail()
            .end()
            .build();
    }

    /** Re-run on every restart: the file (and its export) must still pass. */
    @Bean
    Step importFileGateStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ImportGate importGate, ImportRecords importRecords, ImportMetrics importMetrics) {
        return TaskletJobs.step("importFileGateStep", jobRepository, new ImportFileGateTasklet(importGate,
                importRecords, importMetrics, jobRepository, ownTransaction(transactionManager)), transactionManager)
            .allowStartIfComplete(true)
            .build();
    }

    private static TransactionTemplate ownTransaction(PlatformTransactionManager transactionManager) {
        TransactionTemplate template = new TransactionTemplate(transactionManager);
        template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return template;
    }

    /** Re-rendered on every restart from the committed rejections. */
    @Bean
    Step importErrorFileStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ErrorFileTasklet importErrorFileTasklet) {
        return TaskletJobs.step("importErrorFileStep", jobRepository, importErrorFileTasklet, transactionManager)
            .allowStartIfComplete(true)
            .build();
    }

    @Bean
    Step importCompletionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ImportCompletionTasklet importCompletionTasklet) {
        return TaskletJobs.step("importCompletionStep", jobRepository, importCompletionTasklet, transactionManager)
            .build();
    }

    @Bean
    @StepScope
    ErrorFileTasklet importErrorFileTasklet(JdbcTemplate jdbcTemplate, ImportRecords importRecords,
            StorageLayout storageLayout,
            @Value("#{jobExecutionContext['" + ImportFileGateTasklet.IMPORT_ID_KEY + "']}") Long importId) {
        return new ErrorFileTasklet(jdbcTemplate, importRecords, storageLayout, importId);
    }

    @Bean
    @StepScope
    ImportCompletionTasklet importCompletionTasklet(ImportRecords importRecords,
            ImportedExportPurge importedExportPurge, JdbcTemplate jdbcTemplate, StorageLayout storageLayout,
            @Value("#{jobExecutionContext['" + ImportFileGateTasklet.IMPORT_ID_KEY + "']}") Long importId,
            @Value("#{jobParameters['" + ImportJobParameters.FILE + "']}") String file,
            ImportProperties importProperties) {
        return new ImportCompletionTasklet(importRecords, importedExportPurge, jdbcTemplate, importId,
                new ImportedUpload(storageLayout, Path.of(file)), importProperties.completionSlice());
    }

    /** The application's meter registry (Prometheus in server mode), or Micrometer's global one without it. */
    @Bean
    ImportMetrics importMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
        return new ImportMetrics(meterRegistry.getIfAvailable(() -> Metrics.globalRegistry));
    }

    @Bean
    ImportRecords importRecords(JdbcTemplate jdbcTemplate, Clock clock) {
        return new ImportRecords(jdbcTemplate, clock);
    }

    @Bean
    Rejections importRejections(JdbcTemplate jdbcTemplate, ImportRecords importRecords) {
        return new Rejections(jdbcTemplate, importRecords);
    }

    /** The gate. Export retention is the one {@code anonymiser.export.retention} of {@link ExportProperties}. */
    @Bean
    ImportGate importGate(ImportRecords importRecords, UserAccess userAccess, ImportProperties properties,
            ExportProperties exportProperties, Clock clock) {
        return new ImportGate(importRecords, userAccess, fileInspector(properties), new UploadedWorkbookInspector(),
                exportProperties.retention(), clock);
    }

    /**
     * The zip limits, also handed to POI (process-wide settings) so that its own readers enforce them as a second
     * line behind the gate.
     */
    private static UploadedFileInspector fileInspector(ImportProperties properties) {
        ZipSecureFile.setMinInflateRatio(properties.zip().minInflateRatio());
        ZipSecureFile.setMaxEntrySize(properties.zip().maxEntrySize().toBytes());
        ZipSecureFile.setMaxFileCount(properties.zip().maxEntries());
        return new UploadedFileInspector(properties);
    }


    @Bean
    ImportJobListener importJobListener(ImportRecords importRecords) {
        return new ImportJobListener(importRecords);
    }
}
