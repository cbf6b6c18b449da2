package org.clubanonymiser.privacy;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import org.clubanonymiser.anonymisation.CreationDatePrecision;

/**
 * A privacy report (docs/privacy.md): what was anonymised, on whose request, under which plan, whether the
 * anonymised rows hold any personal value, and how identifiable they remain. Ids, codes, counts, dates and staff
 * usernames only: never a member's name or any other personal value.
 *
 * @param scope                 what the report covers
 * @param generatedAt           when it was computed
 * @param planVersion           version of the anonymisation plan the product applies now
 * @param planVersions          the plan versions the ledger recorded for the report's members, with how many each
 *                              ({@code unrecorded}: anonymised before the ledger recorded it)
 * @param creationDatePrecision {@code anonymiser.privacy.creation-date-precision} when the report was made
 * @param outcomes              counts by outcome
 * @param requests              each import, and each single-member anonymisation, the report covers
 * @param checks                the verification of the anonymised rows: one count of violations per check
 * @param indicator             the re-identification indicator over the creation dates as stored
 * @param generalised           the same indicator were the creation dates kept to the day, the month, the year
 */
public record PrivacyReport(ReportScope scope, LocalDateTime generatedAt, String planVersion,
        Map<String, Long> planVersions, CreationDatePrecision creationDatePrecision, Outcomes outcomes, List<Request> requests,
        List<CheckResult> checks, ReidentificationIndicator indicator, List<ReidentificationIndicator> generalised) {

    /** The key of {@link #planVersions} for ledger rows without a plan version. */
    public static final String UNRECORDED = "unrecorded";

    public PrivacyReport {
        planVersions = Map.copyOf(planVersions);
        requests = List.copyOf(requests);
        checks = List.copyOf(checks);
        generalised = List.copyOf(generalised);
    }

    /** Members whose anonymised rows still hold a personal value, summed over the checks (expected 0). */
    public long violations() {
        return checks.stream().mapToLong(CheckResult::violations).sum();
    }

    /**
     * @param anonymised        members anonymised (ledger rows), of which
     * @param byImport          by an import and
     * @param single            one at a time
     * @param rejectedByCode    uploaded rows rejected, by rejection code (imports)
     * @param refusedByCode     single-member requests refused, by the rule's code
     * @param keptByReviewer    exported members the reviewer left out of the file (completed imports only)
     */
    public record Outcomes(long anonymised, long byImport, long single, Map<String, Long> rejectedByCode,
            Map<String, Long> refusedByCode, long keptByReviewer) {

        public Outcomes {
            rejectedByCode = Map.copyOf(rejectedByCode);
            refusedByCode = Map.copyOf(refusedByCode);
        }

        public long refused() {
            return refusedByCode.values().stream().mapToLong(Long::longValue).sum();
        }

        public long rejected() {
            return rejectedByCode.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * One anonymisation request: an import ({@code source = IMPORT}, {@code id} its import id) or a single-member
     * request ({@code SINGLE}, {@code id} the member id).
     *
     * @param status import status ({@code COMPLETED}, ..., with its failure code), or the request's
     *               ({@code ANONYMISED}, {@code REFUSED} with the rule's code)
     */
    public record Request(String source, long id, String clubCode, String requestedBy, LocalDateTime at,
            String status, boolean dryRun, long anonymised, long rejected, long keptByReviewer) {
    }

    /** One verification check and its violations (members). */
    public record CheckResult(String code, String description, long violations) {
    }
}
