package org.clubanonymiser.importing;

import org.clubanonymiser.support.H2FileCompaction;
import org.clubanonymiser.support.ImportedExportPurge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Closes a completed import, in one transaction: the export purged ({@link ImportedExportPurge}: file deleted,
 * manifest reduced to member ids), the import's duplicate-row claims deleted, the record COMPLETED, or
 * COMPLETED_WITH_ERRORS when rows were rejected (the job listener makes that the job's exit status). Idempotent: a
 * restart after a failure here does it again. A dry run leaves its export (file and manifest) as it is: it was not
 * imported.
 */
class ImportCompletionTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ImportCompletionTasklet.class);

    private final ImportRecords records;

    private final ImportedExportPurge exportPurge;

    private final JdbcTemplate jdbc;

    private final long importId;

    private final ImportedUpload upload;

    private final H2FileCompaction compaction;

    ImportCompletionTasklet(ImportRecords records, ImportedExportPurge exportPurge, JdbcTemplate jdbc, long importId,
            ImportedUpload upload, H2FileCompaction compaction) {
        this.records = records;
        this.exportPurge = exportPurge;
        this.jdbc = jdbc;
        this.importId = importId;
        this.upload = upload;
        this.compaction = compaction;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ImportRecords.ImportRecord record = records.find(importId).orElseThrow();
        if (!record.dryRun()) {
            exportPurge.purgeAfterImport(record.exportId());
            compaction.request();
        }
        jdbc.update("delete from anonymisation_import_claim where import_id = ?", importId);
        boolean withErrors = record.rowsRejected() > 0;
        records.complete(importId, withErrors, record.errorFile());
        log.info("{} {} of export {} {}: {} rows read, {} members {}, {} rows rejected{}",
                record.dryRun() ? "Dry run" : "Import", importId, record.exportId(),
                withErrors ? "completed with rejected rows" : "completed", record.rowsRead(),
                record.membersAnonymised(), record.dryRun() ? "would be anonymised" : "anonymised",
                record.rowsRejected(),
                withErrors ? " (error file errors/" + record.errorFile() + ")" : "");
        upload.deleteIfStored();
        return RepeatStatus.FINISHED;
    }
}
