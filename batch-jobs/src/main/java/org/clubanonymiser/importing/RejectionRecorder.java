package org.clubanonymiser.importing;

import org.springframework.batch.core.listener.SkipListener;

/**
 * Records each row the validator rejected. Spring Batch 6's chunk-oriented step calls {@code onSkipInProcess} while
 * processing the chunk, inside the chunk's transaction: the rejection commits with the chunk or rolls back with it,
 * and a restart re-processes exactly the rolled-back rows, so the rejection table (and the error file rendered from
 * it) has every rejected row once. Only {@link RowRejectedException} is skippable; read and write failures are not.
 *
 * @param metrics counts each rejection once its chunk commits ({@link ImportMetrics#NONE} for a dry run)
 */
record RejectionRecorder(Rejections rejections, long importId, long clubId, ImportMetrics metrics)
        implements SkipListener<UploadedRow, ValidatedRow> {

    @Override
    public void onSkipInProcess(UploadedRow item, Throwable t) {
        if (t instanceof RowRejectedException rejection) {
            rejections.recordSkipped(importId, rejection);
            metrics.rows(clubId, rejection.code().name(), 1);
        }
    }
}
