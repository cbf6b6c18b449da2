package org.clubanonymiser.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.clubanonymiser.privacy.PrivacyReport.CheckResult;
import org.clubanonymiser.privacy.PrivacyReport.Request;

/**
 * A {@link PrivacyReport} as CSV (RFC 4180, UTF-8, CRLF), in three columns {@code section,item,value}, one fact per
 * line, so a spreadsheet or a script reads it the same way. A value starting with {@code =}, {@code +}, {@code -} or
 * {@code @} is prefixed with {@code '} so that no spreadsheet takes it for a formula (a username is free text).
 */
public final class PrivacyReportCsv {

    private PrivacyReportCsv() {
    }

    public static String render(PrivacyReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "section", "item", "value" });
        rows.add(row("report", "covers", report.scope().describe()));
        rows.add(row("report", "scope", report.scope().kind()));
        rows.add(row("report", "generated_at", report.generatedAt()));
        rows.add(row("report", "plan_version", report.planVersion()));
        report.planVersions().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
            .forEach(e -> rows.add(row("report", "members_anonymised_under_plan:" + e.getKey(), e.getValue())));
        rows.add(row("report", "creation_date_precision", report.creationDatePrecision()));
        var outcomes = report.outcomes();
        rows.add(row("outcome", "anonymised", outcomes.anonymised()));
        rows.add(row("outcome", "anonymised_by_import", outcomes.byImport()));
        rows.add(row("outcome", "anonymised_single", outcomes.single()));
        rows.add(row("outcome", "rejected", outcomes.rejected()));
        outcomes.rejectedByCode().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
            .forEach(e -> rows.add(row("outcome", "rejected:" + e.getKey(), e.getValue())));
        rows.add(row("outcome", "refused_single", outcomes.refused()));
        outcomes.refusedByCode().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
            .forEach(e -> rows.add(row("outcome", "refused_single:" + e.getKey(), e.getValue())));
        rows.add(row("outcome", "kept_by_reviewer", outcomes.keptByReviewer()));
        for (Request request : report.requests()) {
            String item = request.source().toLowerCase(Locale.ROOT) + " " + request.id() + ".";
            rows.add(row("request", item + "club", request.clubCode()));
            rows.add(row("request", item + "requested_by", request.requestedBy()));
            rows.add(row("request", item + "at", request.at()));
            rows.add(row("request", item + "status", request.status() + (request.dryRun() ? " (dry run)" : "")));
            rows.add(row("request", item + "anonymised", request.anonymised()));
            rows.add(row("request", item + "rejected", request.rejected()));
            rows.add(row("request", item + "kept_by_reviewer", request.keptByReviewer()));
        }
        for (CheckResult check : report.checks()) {
            rows.add(row("check", check.code(), check.violations()));
        }
        rows.add(row("check", "total_violations", report.violations()));
        indicator(rows, "as_stored", report.indicator());
        report.generalised().forEach(i -> indicator(rows, i.precision().name().toLowerCase(Locale.ROOT), i));
        StringBuilder csv = new StringBuilder();
        for (String[] row : rows) {
            csv.append(String.join(",", java.util.Arrays.stream(row).map(PrivacyReportCsv::cell).toList()))
                .append("\r\n");
        }
        return csv.toString();
    }

    private static void indicator(List<String[]> rows, String name, ReidentificationIndicator indicator) {
        String p = name + ".";
        rows.add(row("indicator", p + "members", indicator.members()));
        rows.add(row("indicator", p + "groups", indicator.groups()));
        rows.add(row("indicator", p + "k", indicator.k()));
        rows.add(row("indicator", p + "groups_smaller_than_" + indicator.smallGroupSize(), indicator.smallGroups()));
        rows.add(row("indicator", p + "members_in_groups_smaller_than_" + indicator.smallGroupSize(),
                indicator.membersInSmallGroups()));
        for (String band : ReidentificationIndicator.bands()) {
            rows.add(row("indicator", p + "groups_of_size_" + band, indicator.distribution().get(band)));
        }
    }

    private static String[] row(String section, String item, Object value) {
        return new String[] { section, item, value == null ? "" : value.toString() };
    }

    static String cell(String value) {
        String text = value;
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
