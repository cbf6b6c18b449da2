package org.clubanonymiser.export;

import java.time.LocalDateTime;

/**
 * Where the rows of one export stand after its imports ({@link ExportRecords#resolution(long)}): counts only,
 * nothing personal.
 *
 * @param exported   manifest rows (the exported members)
 * @param anonymised members anonymised (by an import of this export or otherwise)
 * @param kept       resolved without anonymisation: deleted from the imported file, or found no longer eligible
 * @param rejected   rows an import rejected for a reason the admin can correct: open, importable again
 * @param open       rows not resolved yet: the rejected ones and those no import has seen (before the first import,
 *                   every row); the export is importable while there are some and it has not expired
 * @param resolvedAt when imports left no row open (the file was then deleted), else {@code null}
 */
public record ExportResolution(long exported, long anonymised, long kept, long rejected, long open,
        LocalDateTime resolvedAt) {
}
