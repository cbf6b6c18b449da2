package org.clubanonymiser.importing;

import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * An {@code anonymisation_export} row as the import judges it. Nothing personal.
 *
 * @param resolvedAt when a completed import left no row of the export open (then it may not be imported again)
 */
record ExportRecord(long id, long clubId, int inactivityMonths, LocalDate asOf, LocalDate cutoff, String status,
        String fileName, String workbookChecksum, LocalDateTime createdAt, LocalDateTime fileDeletedAt,
        LocalDateTime resolvedAt) {

    /** Every row of the export is resolved: anonymised, no longer eligible or kept. */
    boolean resolved() {
        return resolvedAt != null;
    }

    boolean isCompleted() {
        return "COMPLETED".equals(status);
    }

    boolean fileDeleted() {
        return fileDeletedAt != null || "DELETED".equals(status);
    }
}
