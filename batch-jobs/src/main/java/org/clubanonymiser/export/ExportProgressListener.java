package org.clubanonymiser.export;

import org.clubanonymiser.support.workbook.ExportedRow;

import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * Adds each chunk's members to the export's {@code members_scanned}, and records the id of its last member (read in id
 * order) as the manifest step's restart position ({@link ManifestRestartPosition}). Called before the chunk is
 * processed, inside its transaction, so a chunk that rolls back takes its count and position back with it. Stateless.
 * A {@link Hook} bean, if any, is called first (tests hold an export there, mid-step, to see its progress).
 */
class ExportProgressListener implements ChunkListener<MemberActivityRow, ExportedRow> {

    private final long exportId;

    private final ExportRecords records;

    private final Hook hook;

    ExportProgressListener(long exportId, ExportRecords records, Hook hook) {
        this.exportId = exportId;
        this.records = records;
        this.hook = hook;
    }

    @Override
    public void beforeChunk(Chunk<MemberActivityRow> chunk) {
        hook.beforeChunk(exportId);
        if (!chunk.isEmpty()) {
            records.addScanned(exportId, chunk.size(),
                    chunk.getItems().get(chunk.size() - 1).activity().memberId());
        }
    }

    /** Called before each chunk, the earlier chunks committed; {@link #NONE} unless a bean is defined. */
    interface Hook {

        Hook NONE = exportId -> {
        };

        void beforeChunk(long exportId);
    }
}
