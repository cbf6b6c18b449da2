package org.clubanonymiser.web.importing;

import java.time.LocalDateTime;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An import as the API and the pages show it; nothing personal (the uploaded file is shown under its generated name).
 *
 * @param requestedBy    who uploaded it (the ledger's requester, also after a restart by someone else)
 * @param restartedBy    who restarted it last from the web (null when never restarted)
 * @param failureCode    why a FAILED import failed: a refusal code (SPEC §4) or {@code ERROR}/{@code STOPPED}
 * @param progress       percent of the export's rows read (100 once completed; null when unknown)
 * @param rejectedByCode rejected rows per code (only on a single import)
 * @param restartable    FAILED for another reason than a refusal: a restart resumes it
 * @param correctable    COMPLETED_WITH_ERRORS and its export can still be imported: a corrected file may follow
 * @param summary        what the job said when the import completed (its exit description; only on a single import)
 */
public record ImportView(long id, Long exportId, Long clubId, String clubCode, String fileName, String requestedBy,
        String restartedBy, boolean dryRun, String status, String failureCode, long rowsRead, long membersAnonymised,
        long rowsRejected, Integer progress, boolean errorFileAvailable, boolean restartable, LocalDateTime createdAt,
        LocalDateTime completedAt, Map<String, Long> rejectedByCode, boolean correctable, String summary,
        @JsonIgnore Long jobExecutionId) {

    ImportView withSummary(String text) {
        return new ImportView(id, exportId, clubId, clubCode, fileName, requestedBy, restartedBy, dryRun, status,
                failureCode, rowsRead, membersAnonymised, rowsRejected, progress, errorFileAvailable, restartable,
                createdAt, completedAt, rejectedByCode, correctable, text, jobExecutionId);
    }

    /** No member anonymised although rows were read: every row was rejected, which the page says loudly. */
    public boolean allRejected() {
        return "COMPLETED_WITH_ERRORS".equals(status) && membersAnonymised == 0 && rowsRejected > 0;
    }

    /** The one code every rejected row has, when they all have the same; else {@code null}. */
    public String singleCode() {
        return rejectedByCode != null && rejectedByCode.size() == 1 ? rejectedByCode.keySet().iterator().next()
                : null;
    }
}
