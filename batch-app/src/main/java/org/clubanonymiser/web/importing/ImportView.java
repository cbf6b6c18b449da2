package org.clubanonymiser.web.importing;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An import as the API and the pages show it; nothing personal (the uploaded file is shown under its generated name).
 *
 * @param requestedBy    who uploaded it (the ledger's requester, also after a restart by someone else)
 * @param restartedBy    who restarted it last from the web (null when never restarted)
 * @param failureCode    why a FAILED import failed: a refusal code (docs/reference.md) or {@code ERROR}/{@code STOPPED}
 * @param progress       percent of the export's rows read (100 once completed; null when unknown)
 * @param rowsAlreadyAnonymised rows naming a member anonymised before (informational, not rejected)
 * @param rejectedByCode rejected rows per code, and the informational {@code ALREADY_ANONYMISED} ones (only on a
 *                       single import)
 * @param restartable    FAILED for another reason than a refusal: a restart resumes it
 * @param correctable    COMPLETED_WITH_ERRORS and its export can still be imported: a corrected file may follow
 * @param summary        what the job said when the import completed (its exit description; only on a single import)
 */
public record ImportView(long id, Long exportId, Long clubId, String clubCode, String fileName, String requestedBy,
        String restartedBy, boolean dryRun, String status, String failureCode, long rowsRead, long membersAnonymised,
        long rowsRejected, long rowsAlreadyAnonymised, Integer progress, boolean errorFileAvailable,
        boolean restartable, LocalDateTime createdAt,
        LocalDateTime completedAt, Map<String, Long> rejectedByCode, boolean correctable, String summary,
        @JsonIgnore Long jobExecutionId) {

    /** Informational, not a rejection (docs/reference.md#row-rejections). */
    static final String ALREADY_ANONYMISED = "ALREADY_ANONYMISED";

    ImportView withSummary(String text) {
        return new ImportView(id, exportId, clubId, clubCode, fileName, requestedBy, restartedBy, dryRun, status,
                failureCode, rowsRead, membersAnonymised, rowsRejected, rowsAlreadyAnonymised, progress,
                errorFileAvailable, restartable, createdAt, completedAt, rejectedByCode, correctable, text,
                jobExecutionId);
    }

    /** Completed with rejected rows and no member anonymised: the page says so loudly. */
    public boolean noneAnonymised() {
        return "COMPLETED_WITH_ERRORS".equals(status) && membersAnonymised == 0;
    }

    /** The code of every row when each row read was rejected with that same code; else {@code null}. */
    public String everyRowRejectedFor() {
        return rowsRejected == rowsRead && rowsAlreadyAnonymised == 0 ? singleCode() : null;
    }

    private String singleCode() {
        List<String> codes = rejectedByCode == null ? List.of()
                : rejectedByCode.keySet().stream().filter(code -> !ALREADY_ANONYMISED.equals(code)).toList();
        return codes.size() == 1 ? codes.get(0) : null;
    }
}
