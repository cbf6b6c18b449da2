package org.clubanonymiser.web.privacy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import org.clubanonymiser.privacy.PrivacyReport;
import org.clubanonymiser.privacy.PrivacyReportCsv;
import org.clubanonymiser.privacy.PrivacyReportHtml;
import org.clubanonymiser.web.Downloads;
import org.clubanonymiser.web.ServerMode;
import org.clubanonymiser.web.security.CurrentUser;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The Privacy page: pick an import, an anonymised member or a period (and a club), then open the printable report
 * ({@code /privacy/report}, a standalone HTML page) or download it as CSV ({@code /privacy/report.csv}). Same checks
 * as the API ({@link PrivacyReportRequests}).
 */
@ServerMode
@Controller
class PrivacyReportController {

    static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final PrivacyReportRequests requests;

    private final CurrentUser currentUser;

    PrivacyReportController(PrivacyReportRequests requests, CurrentUser currentUser) {
        this.requests = requests;
        this.currentUser = currentUser;
    }

    @GetMapping("/privacy")
    String page(Model model) {
        model.addAttribute("clubs", currentUser.clubList());
        model.addAttribute("today", LocalDate.now());
        return "privacy";
    }

    @GetMapping(value = "/privacy/report", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> html(ReportQuery query) {
        PrivacyReport report = requests.report(query);
        return ResponseEntity.ok()
            .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
            .body(PrivacyReportHtml.render(report));
    }

    @GetMapping("/privacy/report.csv")
    ResponseEntity<String> csv(ReportQuery query) {
        return csvOf(requests.report(query));
    }

    /** The CSV download (also the API's). */
    static ResponseEntity<String> csvOf(PrivacyReport report) {
        return Downloads.attachment(report.scope().fileBaseName() + ".csv", CSV, PrivacyReportCsv.render(report));
    }
}
