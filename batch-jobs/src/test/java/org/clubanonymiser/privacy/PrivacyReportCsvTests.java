package org.clubanonymiser.privacy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.clubanonymiser.anonymisation.CreationDatePrecision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PrivacyReportCsvTests {

    @Test
    void cellsAreQuotedAndNeverAFormula() {
        assertThat(PrivacyReportCsv.cell("plain")).isEqualTo("plain");
        assertThat(PrivacyReportCsv.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(PrivacyReportCsv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(PrivacyReportCsv.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(PrivacyReportCsv.cell("@user")).isEqualTo("'@user");
        assertThat(PrivacyReportCsv.cell("-1")).isEqualTo("'-1");
    }

    @Test
    void theHtmlEscapesEveryValue() {
        PrivacyReport report = report("<script>alert(1)</script>");

        String html = PrivacyReportHtml.render(report);

        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(PrivacyReportCsv.render(report)).contains("request,import 3.requested_by,<script>alert(1)</script>");
    }

    @Test
    void theCsvHasOneFactPerLine() {
        String csv = PrivacyReportCsv.render(report("admin.par01"));

        assertThat(csv.split("\r\n")).startsWith("section,item,value", "report,covers,import 3", "report,scope,IMPORT",
                "report,generated_at,2026-11-29T10:00", "report,plan_version,v1", "report,members_anonymised_under_plan:v1,1")
            .contains("outcome,rejected:DUPLICATE_ROW,2", "check,NAMES,0", "check,total_violations,0",
                    "indicator,as_stored.k,1", "indicator,month.k,0");
    }

    @Test
    void aScopeIsOneImportOneMemberOrAPeriod() {
        assertThat(ReportScope.ofPeriod(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 31), Set.of(3L, 1L))
            .fileBaseName()).isEqualTo("privacy-2026-01-01-to-2026-01-31-clubs-1-3");
        assertThat(ReportScope.ofMember(7).fileBaseName()).isEqualTo("privacy-member-7");
        assertThatIllegalArgumentException().isThrownBy(
                () -> ReportScope.ofPeriod(LocalDate.of(2026, 2, 1), LocalDate.of(2026, 1, 31), Set.of()));
        assertThatIllegalArgumentException().isThrownBy(
                () -> new ReportScope(ReportScope.Kind.IMPORT, 1L, 2L, null, null, Set.of()));
    }

    private static PrivacyReport report(String requester) {
        ReidentificationIndicator stored = new ReidentificationIndicator.Builder(CreationDatePrecision.EXACT, 5)
            .group(1, 1).build();
        ReidentificationIndicator none = new ReidentificationIndicator.Builder(CreationDatePrecision.MONTH, 5).build();
        return new PrivacyReport(ReportScope.ofImport(3), LocalDateTime.of(2026, 11, 29, 10, 0), "v1",
                Map.of("v1", 1L), CreationDatePrecision.EXACT,
                new PrivacyReport.Outcomes(1, 1, 0, Map.of("DUPLICATE_ROW", 2L), Map.of(), 0),
                List.of(new PrivacyReport.Request("IMPORT", 3, "PAR-01", requester,
                        LocalDateTime.of(2026, 11, 29, 9, 0), "COMPLETED", false, 1, 2, 0)),
                List.of(new PrivacyReport.CheckResult("NAMES", "names", 0)), stored, List.of(none));
    }
}
