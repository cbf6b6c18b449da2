package org.clubanonymiser.export;

import java.time.Clock;
import java.util.Map;

import javax.sql.DataSource;

import org.clubanonymiser.exportrecord.ExportProperties;
import org.clubanonymiser.progress.StepProgressListener;
import org.clubanonymiser.progress.StepProgressMonitor;
import org.clubanonymiser.support.database.DatabasePlatform;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.support.workbook.ExportedRow;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code exportWorkbookStep}: {@link ExportWorkbookTasklet} renders the zipped workbook from the manifest. The
 * manifest reader saves no state: a restart renders the whole file again.
 */
@Configuration(proxyBeanMethods = false)
class ExportWorkbookStepConfiguration {

    private static final String EXPORT_ID = ExportRecordListener.EXPORT_ID_EXPRESSION;

    @Bean
    Step exportWorkbookStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ExportWorkbookTasklet exportWorkbookTasklet, JdbcPagingItemReader<ExportedRow> exportWorkbookRowReader,
            StepProgressListener exportWorkbookProgress, ManifestStatistics exportManifestStatistics) {
        return new StepBuilder("exportWorkbookStep", jobRepository)
            .tasklet(exportWorkbookTasklet, transactionManager)
            .stream(exportWorkbookRowReader)
            .listener((StepExecutionListener) exportWorkbookProgress)
            .listener(exportManifestStatistics)
            .build();
    }

    /** PostgreSQL: the manifest's fresh rows analysed before its pages are read (see {@link ManifestStatistics}). */
    @Bean
    @StepScope
    ManifestStatistics exportManifestStatistics(JdbcTemplate jdbcTemplate, DataSource dataSource,
            ExportManifest exportManifest, @Value(EXPORT_ID) long exportId) {
        return new ManifestStatistics(jdbcTemplate, DatabasePlatform.of(dataSource), exportManifest, exportId);
    }

    /** Progress lines and gauges: the manifest's rows rendered so far; the tasklet counts them and tells the total. */
    @Bean
    StepProgressListener exportWorkbookProgress(StepProgressMonitor stepProgressMonitor) {
        return stepProgressMonitor.listener("rows", null, null);
    }

    @Bean
    @StepScope
    JdbcPagingItemReader<ExportedRow> exportWorkbookRowReader(DataSource dataSource,
            ExportProperties exportProperties, @Value(EXPORT_ID) long exportId) throws Exception {
        return new JdbcPagingItemReaderBuilder<ExportedRow>()
            .name("exportWorkbookRowReader")
            .saveState(false)
            .dataSource(dataSource)
            .queryProvider(IndexPrefixPagingQueryProvider.manifestRows())
            .parameterValues(IndexPrefixPagingQueryProvider.parameterValues(Map.of("exportId", exportId)))
            .pageSize(exportProperties.chunkSize())
            .rowMapper(ExportManifest.ROW_MAPPER)
            .build();
    }

    @Bean
    @StepScope
    ExportWorkbookTasklet exportWorkbookTasklet(JdbcPagingItemReader<ExportedRow> exportWorkbookRowReader,
            ExportRecords exportRecords, ExportManifest exportManifest, StorageLayout storageLayout,
            ExportProperties exportProperties, Clock clock, StepProgressMonitor stepProgressMonitor,
            @Value(EXPORT_ID) long exportId) {
        return new ExportWorkbookTasklet(exportId, exportWorkbookRowReader, exportRecords, exportManifest,
                storageLayout, exportProperties.workbookWindow(), clock, stepProgressMonitor::current);
    }
}
