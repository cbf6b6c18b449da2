package org.clubanonymiser.export;

import org.clubanonymiser.support.workbook.ExportedRow;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.item.database.JdbcBatchItemWriter;

/**
 * Writes a chunk of eligible members to the manifest, in the chunk's transaction: clears the chunk's member id range
 * (idempotence: a chunk written again never duplicates a row), batch-inserts the rows with their fingerprints through
 * a {@link JdbcBatchItemWriter}, and adds them to the export's {@code members_eligible}. Stateless.
 */
class ManifestWriter implements ItemWriter<ExportedRow> {

    private final long exportId;

    private final JdbcBatchItemWriter<ExportedRow> inserts;

    private final ExportManifest manifest;

    private final ExportRecords records;

    ManifestWriter(long exportId, JdbcBatchItemWriter<ExportedRow> inserts, ExportManifest manifest,
            ExportRecords records) {
        this.exportId = exportId;
        this.inserts = inserts;
        this.manifest = manifest;
        this.records = records;
    }

    @Override
    public void write(Chunk<? extends ExportedRow> rows) throws Exception {
        if (rows.isEmpty()) {
            return;
        }
        // The reader's sort key is member.id: a chunk's rows are ascending and no other chunk covers their range.
        long first = rows.getItems().get(0).memberId();
        long last = rows.getItems().get(rows.size() - 1).memberId();
        manifest.deleteRange(exportId, first, last);
        inserts.write(rows);
        records.addEligible(exportId, rows.size());
    }
}
