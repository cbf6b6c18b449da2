package org.clubanonymiser.export;

import java.sql.Timestamp;
import java.sql.Types;
import java.util.Map;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import org.clubanonymiser.eligibility.EligibilityRules;
import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.exportrecord.ExportProperties;
import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.progress.StepProgressListener;
import org.clubanonymiser.progress.StepProgressMonitor;
import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.support.workbook.RowFingerprint;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcBatchItemWriter;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.builder.JdbcBatchItemWriterBuilder;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code exportManifestStep}: the club's members, paged by id with their activity fetched set-based
 * ({@link IndexPrefixPagingQueryProvider#clubMembers()}) → {@link EligibilityProcessor} → {@link ManifestWriter}, one
 * chunk per transaction with the progress counts. Restart: the reader resumes after the last committed chunk (its
 * state is under {@code exportMemberReader.*}, set from the product database's committed position by
 * {@link ManifestRestartPosition} when the job repository's differs). No skips: a member that cannot be judged is a
 * bug or a database problem and fails the step, which a relaunch resumes.
 */
@Configuration(proxyBeanMethods = false)
class ExportManifestStepConfiguration {

    private static final String EXPORT_ID = ExportRecordListener.EXPORT_ID_EXPRESSION;

    @Bean
    Step exportManifestStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ExportProperties exportProperties, JdbcPagingItemReader<MemberActivityRow> exportMemberReader,
            EligibilityProcessor exportEligibilityProcessor, ManifestWriter exportManifestWriter,
            ExportProgressListener exportProgressListener, ManifestRestartPosition exportManifestRestartPosition,
            StepProgressListener exportManifestProgress) {
        return new StepBuilder("exportManifestStep", jobRepository)
            .<MemberActivityRow, ExportedRow>chunk(exportProperties.chunkSize())
            .transactionManager(transactionManager)
            .reader(exportMemberReader)
            .processor(exportEligibilityProcessor)
            .writer(exportManifestWriter)
            .listener(exportProgressListener)
            .listener(exportManifestRestartPosition)
            .listener(exportManifestProgress)
            .build();
    }

    /** Progress lines and gauges: the club's members judged so far, of all its members. */
    @Bean
    StepProgressListener exportManifestProgress(StepProgressMonitor stepProgressMonitor,
            ExportRecords exportRecords) {
        return stepProgressMonitor.listener("members", "exportMemberReader",
                stepExecution -> exportRecords.clubMembers(ExportRecordListener.exportId(stepExecution)));
    }

    @Bean
    @StepScope
    ManifestRestartPosition exportManifestRestartPosition(ExportRecords exportRecords,
            @Value(EXPORT_ID) long exportId) {
        return new ManifestRestartPosition(exportId, exportRecords);
    }

    @Bean
    @StepScope
    JdbcPagingItemReader<MemberActivityRow> exportMemberReader(DataSource dataSource,
            ExportProperties exportProperties, ExportRecords exportRecords, @Value(EXPORT_ID) long exportId)
            throws Exception {
        ExportRecord export = exportRecords.find(exportId).orElseThrow();
        InactivityPeriod period = new InactivityPeriod(export.asOf(), export.inactivityMonths());
        return new JdbcPagingItemReaderBuilder<MemberActivityRow>()
            .name("exportMemberReader")
            .dataSource(dataSource)
            .queryProvider(IndexPrefixPagingQueryProvider.clubMembers())
            .parameterValues(IndexPrefixPagingQueryProvider.parameterValues(Map.of("clubId", export.clubId(), "cutoff",
                    Timestamp.valueOf(period.cutoffStart()))))
            .pageSize(exportProperties.chunkSize())
            .rowMapper(new MemberActivityRowMapper())
            .build();
    }

    @Bean
    @StepScope
    EligibilityProcessor exportEligibilityProcessor(ExportRecords exportRecords,
            ObjectProvider<MeterRegistry> meterRegistry, @Value(EXPORT_ID) long exportId) {
        ExportRecord export = exportRecords.find(exportId).orElseThrow();
        return new EligibilityProcessor(new EligibilityRules(),
                new InactivityPeriod(export.asOf(), export.inactivityMonths()), export.clubId(),
                meterRegistry.getIfAvailable(() -> Metrics.globalRegistry));
    }

    @Bean
    @StepScope
    JdbcBatchItemWriter<ExportedRow> exportManifestInsertWriter(DataSource dataSource,
            @Value(EXPORT_ID) long exportId) {
        return new JdbcBatchItemWriterBuilder<ExportedRow>()
            .dataSource(dataSource)
            .sql("""
                    insert into anonymisation_export_member (export_id, member_id, member_number, last_name,
                        first_name, status, last_activity, last_activity_kind, months_inactive, fingerprint)
                    values (:exportId, :memberId, :memberNumber, :lastName, :firstName, :status, :lastActivity,
                        :lastActivityKind, :monthsInactive, :fingerprint)""")
            .itemSqlParameterSourceProvider(row -> new MapSqlParameterSource()
                .addValue("exportId", exportId)
                .addValue("memberId", row.memberId())
                .addValue("memberNumber", row.memberNumber())
                .addValue("lastName", row.lastName())
                .addValue("firstName", row.firstName())
                .addValue("status", row.status())
                .addValue("lastActivity", row.lastActivity(), Types.DATE)
                .addValue("lastActivityKind", row.lastActivityKind())
                .addValue("monthsInactive", row.monthsInactive())
                .addValue("fingerprint", RowFingerprint.of(exportId, row)))
            .build();
    }

    @Bean
    @StepScope
    ManifestWriter exportManifestWriter(JdbcBatchItemWriter<ExportedRow> exportManifestInsertWriter,
            ExportManifest exportManifest, ExportRecords exportRecords, @Value(EXPORT_ID) long exportId) {
        return new ManifestWriter(exportId, exportManifestInsertWriter, exportManifest, exportRecords);
    }

    @Bean
    @StepScope
    ExportProgressListener exportProgressListener(ExportRecords exportRecords,
            ObjectProvider<ExportProgressListener.Hook> exportProgressHook, @Value(EXPORT_ID) long exportId) {
        return new ExportProgressListener(exportId, exportRecords,
                exportProgressHook.getIfAvailable(() -> ExportProgressListener.Hook.NONE));
    }
}
