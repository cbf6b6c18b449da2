package org.clubanonymiser.export;

import org.clubanonymiser.support.workbook.ExportedRow;

import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * Adds each chunk's members to the export's {@code members_scanned}. Called before the chunk is processed, inside its
 * transaction, so a chunk that rolls back takes its count back with it. Stateless.
 */
class ExportProgressListener implements ChunkListener<MemberActivityRow, ExportedRow> {

    private final long exportId;

    private final ExportRecords records;

    ExportProgressListener(long exportId, ExportRecords records) {
        this.exportId = exportId;
        this.records = records;
    }

    @Override
    public void beforeChunk(Chunk<MemberActivityRow> chunk) {
        if (!chunk.isEmpty()) {
            records.addScanned(exportId, chunk.size());
        }
    }
}
