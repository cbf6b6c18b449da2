package org.clubanonymiser.importing;

import java.nio.file.Path;
import java.time.Clock;

import org.clubanonymiser.anonymisation.PrivacyProperties;
import org.clubanonymiser.eligibility.EligibilityRules;
import org.clubanonymiser.progress.StepProgressListener;
import org.clubanonymiser.progress.StepProgressMonitor;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.skip.SkipPolicy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Step 2 of {@code importJob}: the uploaded rows, streamed, validated and anonymised chunk by chunk. See
 * docs/jobs.md for the skip and restart policy.
 */
@Configuration(proxyBeanMethods = false)
public class ImportAnonymiseStepConfiguration {

    private static final String IMPORT_ID = "#{jobExecutionContext['" + ImportFileGateTasklet.IMPORT_ID_KEY + "']}";

    /**
     * One transaction per chunk: claims and facts (before processing), rejections (as rows are skipped), the
     * anonymisation and the reader's position ({@link ImportPosition}, in the product database) commit together; the
     * job repository's step execution update runs inside that transaction too, committing first in a transaction of
     * its own when the job repository is another database's (Data Flow). Only {@link RowRejectedException} is
     * skipped, up to {@code anonymiser.import.skip-limit} per import ({@link RejectedRowSkipPolicy}); anything else
     * fails the step, restartable from the last committed chunk.
     */
    @Bean
    Step importAnonymiseStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ImportProperties properties, UploadedRowReader importRowReader, RowValidator importRowValidator,
            AnonymisingWriter importAnonymisingWriter, ChunkFacts importChunkFacts,
            SkipListener<UploadedRow, ValidatedRow> importRejectionRecorder, SkipPolicy importSkipPolicy,
            StepProgressListener importAnonymiseProgress) {
        return new StepBuilder(ImportFileGateTasklet.ANONYMISE_STEP, jobRepository)
            .<UploadedRow, ValidatedRow>chunk(properties.chunkSize())
            .transactionManager(transactionManager)
            .reader(importRowReader)
            .processor(importRowValidator)
            .writer(importAnonymisingWriter)
            .listener(importChunkFacts)
            .listener(importAnonymiseProgress)
            .faultTolerant()
            .skipPolicy(importSkipPolicy)
            .skipListener(importRejectionRecorder)
            .build();
    }

    /** Progress lines and gauges: the uploaded rows read so far, of the rows the export wrote. */
    @Bean
    StepProgressListener importAnonymiseProgress(StepProgressMonitor stepProgressMonitor,
            ImportRecords importRecords) {
        return stepProgressMonitor.listener("rows", "importRowReader", stepExecution -> importRecords.exportedRows(
                stepExecution.getJobExecution().getExecutionContext().getLong(ImportFileGateTasklet.IMPORT_ID_KEY)));
    }

    /**
     * The skip limit counts the rows skipped by this import's earlier runs too: a restart gets no new allowance.
     * Declared as the interface: the step scope's proxy then implements it (a record cannot be subclassed).
     */
    @Bean
    @StepScope
    SkipPolicy importSkipPolicy(ImportProperties properties, JobRepository jobRepository,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        long skippedBefore = jobRepository.getJobExecutions(stepExecution.getJobExecution().getJobInstance())
            .stream()
            .flatMap(execution -> execution.getStepExecutions().stream())
            .filter(step -> step.getStepName().equals(stepExecution.getStepName())
                    && step.getId() != stepExecution.getId())
            .mapToLong(StepExecution::getProcessSkipCount)
            .sum();
        return new RejectedRowSkipPolicy(properties.skipLimit(), skippedBefore);
    }

    @Bean
    @StepScope
    UploadedRowReader importRowReader(@Value("#{jobParameters['" + ImportJobParameters.FILE + "']}") String file,
            ImportRecords importRecords, @Value(IMPORT_ID) Long importId) {
        return new UploadedRowReader(Path.of(file), new ImportPosition(importRecords, importId));
    }

    @Bean
    @StepScope
    RowValidator importRowValidator(ImportRecords importRecords, ChunkFacts importChunkFacts,
            @Value(IMPORT_ID) Long importId) {
        return new RowValidator(importRecords.context(importId), importChunkFacts, new EligibilityRules());
    }

    /** Claims and facts of each chunk, loaded before it is processed; the validator reads them. */
    @Bean
    @StepScope
    ChunkFacts importChunkFacts(NamedParameterJdbcTemplate namedParameterJdbcTemplate, ImportRecords importRecords,
            @Value(IMPORT_ID) Long importId) {
        return new ChunkFacts(namedParameterJdbcTemplate, importId, importRecords.context(importId).exportId());
    }

    @Bean
    @StepScope
    AnonymisingWriter importAnonymisingWriter(NamedParameterJdbcTemplate namedParameterJdbcTemplate,
            JdbcTemplate jdbcTemplate, ImportRecords importRecords, Rejections importRejections, Clock clock,
            ImportMetrics importMetrics, ObjectProvider<AnonymisingWriter.Hook> importAnonymisingHook,
            PrivacyProperties privacyProperties, @Value(IMPORT_ID) Long importId) {
        ImportContext context = importRecords.context(importId);
        return new AnonymisingWriter(namedParameterJdbcTemplate, context,
                new JdbcRowFacts(jdbcTemplate, importId, context.exportId()), new EligibilityRules(), importRejections,
                importRecords, clock, context.dryRun() ? ImportMetrics.NONE : importMetrics,
                importAnonymisingHook.getIfAvailable(() -> AnonymisingWriter.Hook.NONE),
                privacyProperties.creationDatePrecision());
    }

    /** Declared as the interface, like the skip policy: the step scope's proxy implements it. */
    @Bean
    @StepScope
    SkipListener<UploadedRow, ValidatedRow> importRejectionRecorder(Rejections importRejections, ImportRecords importRecords,
            ImportMetrics importMetrics, @Value(IMPORT_ID) Long importId) {
        ImportContext context = importRecords.context(importId);
        return new RejectionRecorder(importRejections, importId, context.clubId(),
                context.dryRun() ? ImportMetrics.NONE : importMetrics);
    }
}
