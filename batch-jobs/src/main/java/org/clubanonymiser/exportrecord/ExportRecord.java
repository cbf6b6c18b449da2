package org.clubanonymiser.exportrecord;

import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * One row of {@code anonymisation_export} (with its club's code), read through {@link ExportRecordRows}: what the
 * export list shows and what the import checks an uploaded workbook against. Nothing personal.
 *
 * @param membersScanned  members of the club read so far (progress)
 * @param membersEligible members found eligible so far, i.e. manifest rows (progress)
 * @param rowCount        data rows of the workbook, set when completed
 * @param fileName        name of the zip in {@code <storage-dir>/exports/}, set when completed
 * @param fileChecksum    SHA-256 (hex) of the zip
 * @param workbookChecksum SHA-256 (hex) of the {@code .xlsx} inside the zip: an upload with this checksum is the
 *                        exported file itself, not re-saved ({@code NOT_RESAVED})
 * @param fileDeletedAt   when the file was deleted and the manifest values erased (deletion, import, retention)
 * @param resolvedAt      when a completed import left no row of the export open (then it may not be imported again)
 */
public record ExportRecord(long id, String name, long clubId, String clubCode, int inactivityMonths, LocalDate asOf,
        LocalDate cutoff, String requestedBy, ExportStatus status, long membersScanned, long membersEligible,
        Long rowCount, String fileName, String fileChecksum, String workbookChecksum, int formatVersion,
        Long jobInstanceId, Long jobExecutionId, LocalDateTime createdAt, LocalDateTime completedAt,
        LocalDateTime fileDeletedAt, LocalDateTime resolvedAt) {

    /** Every row of the export is resolved: anonymised, no longer eligible or kept. */
    public boolean resolved() {
        return resolvedAt != null;
    }

    public boolean isCompleted() {
        return status == ExportStatus.COMPLETED;
    }

    public boolean fileDeleted() {
        return fileDeletedAt != null || status == ExportStatus.DELETED;
    }
}
