package org.clubanonymiser.web.export;

import java.time.LocalDate;
import java.time.LocalDateTime;

import org.clubanonymiser.export.ExportResolution;
import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.exportrecord.ExportStatus;

/**
 * An export as the API and the pages show it: nothing personal (the requesting user's username only).
 *
 * @param progress     percent of the club's members judged so far (100 once completed; null when unknown)
 * @param fileAvailable whether the zip can be downloaded now
 * @param review        where its rows stand: exported / anonymised / kept / rejected / still open (see
 *                      {@link ExportResolution})
 * @param expired       a completed export older than {@code anonymiser.export.retention}: its file is never served
 *                      again (purged by {@code exportPurgeJob})
 */
public record ExportView(long id, String name, long clubId, String clubCode, int inactivityMonths, LocalDate asOf,
        LocalDate cutoff, String requestedBy, ExportStatus status, long membersScanned, long membersEligible,
        Long rowCount, Integer progress, boolean fileAvailable, LocalDateTime createdAt, LocalDateTime completedAt,
        LocalDateTime fileDeletedAt, ExportResolution review, boolean expired) {

    static ExportView of(ExportRecord export, ExportResolution review, Long clubMembers, boolean fileAvailable,
            boolean expired) {
        Integer progress = switch (export.status()) {
            case COMPLETED -> 100;
            case RUNNING, FAILED -> clubMembers == null || clubMembers == 0 ? null
                    : (int) Math.min(99, export.membersScanned() * 100 / clubMembers);
            case DELETED -> null;
        };
        return new ExportView(export.id(), export.name(), export.clubId(), export.clubCode(),
                export.inactivityMonths(), export.asOf(), export.cutoff(), export.requestedBy(), export.status(),
                export.membersScanned(), export.membersEligible(), export.rowCount(), progress, fileAvailable,
                export.createdAt(), export.completedAt(), export.fileDeletedAt(), review,
                expired && export.status() == ExportStatus.COMPLETED);
    }
}
