package org.clubanonymiser.web.importing;

import java.time.LocalDateTime;
import java.util.Map;

/**
 * An import as the API and the pages show it; nothing personal (the uploaded file is shown under its generated name).
 *
 * @param requestedBy    who uploaded it (the ledger's requester, also after a restart by someone else)
 * @param restartedBy    who restarted it last from the web (null when never restarted)
 * @param failureCode    why a FAILED import failed: a refusal code (SPEC §4) or {@code ERROR}/{@code STOPPED}
 * @param progress       percent of the export's rows read (100 once completed; null when unknown)
 * @param rejectedByCode rejected rows per code (only on a single import)
 * @param restartable    FAILED for another reason than a refusal: a restart resumes it
 */
public record ImportView(long id, Long exportId, Long clubId, String clubCode, String fileName, String requestedBy,
        String restartedBy, boolean dryRun, String status, String failureCode, long rowsRead, long membersAnonymised,
        long rowsRejected, Integer progress, boolean errorFileAvailable, boolean restartable, LocalDateTime createdAt,
        LocalDateTime completedAt, Map<String, Long> rejectedByCode) {
}
