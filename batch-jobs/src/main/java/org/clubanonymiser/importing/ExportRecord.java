package org.clubanonymiser.importing;

import java.time.LocalDate;
import java.time.LocalDateTime;

/** An {@code anonymisation_export} row as the import judges it. Nothing personal. */
record ExportRecord(long id, long clubId, int inactivityMonths, LocalDate asOf, LocalDate cutoff, String status,
        String fileName, String workbookChecksum, LocalDateTime createdAt, LocalDateTime fileDeletedAt) {

    boolean isCompleted() {
        return "COMPLETED".equals(status);
    }

    boolean fileDeleted() {
        return fileDeletedAt != null || "DELETED".equals(status);
    }
}
