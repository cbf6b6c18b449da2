package org.clubanonymiser.web.privacy;

import java.time.LocalDate;
import java.util.Set;

import org.clubanonymiser.privacy.PrivacyReport;
import org.clubanonymiser.privacy.PrivacyReports;
import org.clubanonymiser.privacy.ReportScope;
import org.clubanonymiser.support.UserAccess.Decision;
import org.clubanonymiser.web.AccessRefusedException;
import org.clubanonymiser.web.ApiException;
import org.clubanonymiser.web.security.CurrentUser;

import org.springframework.http.HttpStatus;

/**
 * The web's privacy reports: the scope asked for, checked against the signed-in user before anything is read (an
 * ADMIN or granted user; the import's, the member's or the requested club among theirs; a period without a club
 * covers all of the user's clubs and only them), then built by {@link PrivacyReports}.
 */
public class PrivacyReportRequests {

    private final PrivacyReports reports;

    private final CurrentUser currentUser;

    public PrivacyReportRequests(PrivacyReports reports, CurrentUser currentUser) {
        this.reports = reports;
        this.currentUser = currentUser;
    }

    /** Exactly one of an import id, a member id or a {@code from} day; 400 {@code REPORT_SCOPE} otherwise. */
    PrivacyReport report(ReportQuery query) {
        return reports.build(scope(query.importId(), query.memberId(), query.from(), query.to(), query.clubId()));
    }

    ReportScope scope(Long importId, Long memberId, LocalDate from, LocalDate to, Long clubId) {
        int scopes = (importId != null ? 1 : 0) + (memberId != null ? 1 : 0) + (from != null ? 1 : 0);
        if (scopes != 1 || (from == null && (to != null || clubId != null))) {
            currentUser.get();
            throw new ApiException(HttpStatus.BAD_REQUEST, "REPORT_SCOPE");
        }
        if (importId != null) {
            long club = reports.clubOfImport(importId)
                .orElseThrow(() -> notFound("import", importId));
            currentUser.forClub(club);
            return ReportScope.ofImport(importId);
        }
        if (memberId != null) {
            long club = reports.clubOfAnonymisedMember(memberId)
                .orElseThrow(() -> notFound("anonymised member", memberId));
            currentUser.forClub(club);
            return ReportScope.ofMember(memberId);
        }
        LocalDate until = to == null ? LocalDate.now() : to;
        if (until.isBefore(from)) {
            currentUser.get();
            throw new ApiException(HttpStatus.BAD_REQUEST, "REPORT_SCOPE");
        }
        Set<Long> clubs;
        if (clubId != null) {
            currentUser.forClub(clubId);
            clubs = Set.of(clubId);
        }
        else {
            clubs = currentUser.clubs();
        }
        if (clubs.isEmpty()) {
            // No club at all would mean "every club" to the report: refused instead.
            throw new AccessRefusedException(Decision.FOREIGN_CLUB);
        }
        return ReportScope.ofPeriod(from, until, clubs);
    }

    /** Checks the user first: a user without the right learns nothing about which ids exist. */
    private ApiException notFound(String what, long id) {
        currentUser.get();
        return ApiException.notFound(what, id);
    }
}
