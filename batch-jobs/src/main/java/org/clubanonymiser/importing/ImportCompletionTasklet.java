package org.clubanonymiser.importing;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.OptionalLong;

import org.clubanonymiser.support.database.ResidueMarkers;
import org.clubanonymiser.support.database.KeySlices;
import org.clubanonymiser.support.storage.ImportedExportPurge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Closes a completed import: the export's manifest resolved ({@link ImportedExportPurge}: members anonymised, kept or
 * no longer eligible keep their id only; members whose rows were rejected for a correctable reason stay open with their
 * values, so that a corrected file can be imported; once none is open, the export's file is deleted and the export may
 * not be imported again), the import's duplicate-row claims deleted, the record COMPLETED, or COMPLETED_WITH_ERRORS
 * when rows were rejected (the job listener makes that the job's exit status). Rows naming a member anonymised already
 * are informational: they make no COMPLETED_WITH_ERRORS. The manifest and the claims go in slices of
 * {@code anonymiser.import.completion-slice} rows ({@link KeySlices}), one transaction per call
 * ({@link RepeatStatus#CONTINUABLE}): one transaction for a 1M-member export held 256k rows of undo on the heap (measured: the
 * import's heap peak grew 1.3x from 100k to 1M members). The record is completed in the last call, after every slice.
 * Idempotent: a restart after a failure here starts again from the first slice. A dry run leaves its export (file and
 * manifest) as it is: it was not imported.
 */
class ImportCompletionTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ImportCompletionTasklet.class);

    private final ImportRecords records;

    private final ImportedExportPurge exportPurge;

    private final JdbcTemplate jdbc;

    private final long importId;

    private final ImportedUpload upload;

    private final int slice;

    private long purgedUpTo = Long.MIN_VALUE;

    private boolean exportPurged;

    ImportCompletionTasklet(ImportRecords records, ImportedExportPurge exportPurge, JdbcTemplate jdbc, long importId,
            ImportedUpload upload, int slice) {
        this.records = records;
        this.exportPurge = exportPurge;
        this.jdbc = jdbc;
        this.importId = importId;
        this.upload = upload;
        this.slice = slice;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ImportRecords.ImportRecord record = records.find(importId).orElseThrow();
        if (!record.dryRun() && !exportPurged) {
            OptionalLong next = exportPurge.resolveAfterImport(record.exportId(), importId,
                    RowRejection.openingCodes(), purgedUpTo, slice);
            if (next.isPresent()) {
                purgedUpTo = next.getAsLong();
                return RepeatStatus.CONTINUABLE;
            }
            exportPurged = true;
            // The manifest's values were erased: they may stay in the database's files until the maintenance step.
            ResidueMarkers.record(jdbc, ResidueMarkers.Source.IMPORT, importId, Timestamp.valueOf(LocalDateTime.now()));
        }
        if (deleteClaimSlice()) {
            return RepeatStatus.CONTINUABLE;
        }
        boolean withErrors = record.rowsRejected() > 0;
        String summary = ImportSummary.of(record.rowsRead() - record.rowsAlreadyAnonymised(),
                records.rejectedByCode(importId));
        records.complete(importId, withErrors, record.errorFile(), summary);
        String message = "{} {} of export {} {}: {} rows read, {} members {}, {} already anonymised,"
                + " {} rows rejected{}";
        Object[] arguments = { record.dryRun() ? "Dry run" : "Import", importId, record.exportId(),
            withErrors ? "completed with rejected rows" : "completed", record.rowsRead(), record.membersAnonymised(),
            record.dryRun() ? "would be anonymised" : "anonymised", record.rowsAlreadyAnonymised(),
            record.rowsRejected(), withErrors ? " (error file errors/" + record.errorFile() + "): " + summary : "" };
        if (ImportSummary.isWholeFileRejected(summary)) {
            // Not one row went through: the admin must hear it, not find it in a count.
            log.warn(message, arguments);
        }
        else {
            log.info(message, arguments);
        }
        upload.deleteIfStored();
        return RepeatStatus.FINISHED;
    }

    /** Deletes the import's first {@code slice} claims (at most); true while more may remain. */
    private boolean deleteClaimSlice() {
        OptionalLong end = KeySlices.end(jdbc, "anonymisation_import_claim", "import_id", importId, "member_id",
                Long.MIN_VALUE, slice);
        if (end.isPresent()) {
            jdbc.update("delete from anonymisation_import_claim where import_id = ? and member_id <= ?", importId,
                    end.getAsLong());
            return true;
        }
        jdbc.update("delete from anonymisation_import_claim where import_id = ?", importId);
        return false;
    }
}
