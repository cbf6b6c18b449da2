package org.clubanonymiser.web.privacy;

import org.clubanonymiser.privacy.PrivacyReport;
import org.clubanonymiser.web.ServerMode;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/privacy-report}: the report as JSON, or as CSV ({@code /api/privacy-report.csv}); see docs/web-api.md.
 */
@ServerMode
@RestController
class PrivacyReportApiController {

    private final PrivacyReportRequests requests;

    PrivacyReportApiController(PrivacyReportRequests requests) {
        this.requests = requests;
    }

    @GetMapping("/api/privacy-report")
    PrivacyReport report(ReportQuery query) {
        return requests.report(query);
    }

    @GetMapping("/api/privacy-report.csv")
    ResponseEntity<String> csv(ReportQuery query) {
        return PrivacyReportController.csvOf(requests.report(query));
    }
}
