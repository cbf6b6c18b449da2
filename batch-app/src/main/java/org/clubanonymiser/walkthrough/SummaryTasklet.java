package org.clubanonymiser.walkthrough;

import java.nio.file.Path;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.clubanonymiser.privacy.PrivacyReport;
import org.clubanonymiser.privacy.PrivacyReports;
import org.clubanonymiser.privacy.ReportScope;
import org.clubanonymiser.support.storage.StorageLayout;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/** Logs what the walkthrough did: counts and file paths only, never a name. */
record SummaryTasklet(JdbcTemplate jdbc, PrivacyReports privacyReports, StorageLayout storage) implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(SummaryTasklet.class);

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        var context = chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
        long exportId = context.getLong(WalkthroughJobConfiguration.EXPORT_ID_KEY);
        Map<String, Object> export = jdbc.queryForMap("""
                select e.id, c.code, e.as_of, e.cutoff, e.members_scanned, e.row_count, e.file_name
                from anonymisation_export e join club c on c.id = e.club_id where e.id = ?""", exportId);
        Map<String, Object> imported = jdbc.queryForMap("""
                select id, status, rows_read, members_anonymised, rows_rejected, error_file
                from anonymisation_import where export_id = ? order by id desc fetch first 1 rows only""", exportId);
        long importId = ((Number) imported.get("id")).longValue();
        PrivacyReport privacy = privacyReports.build(ReportScope.ofImport(importId));
        Path report = storage.reportsDir().resolve(ReportScope.ofImport(importId).fileBaseName());
        long members = jdbc.queryForObject("select count(*) from member", Long.class);
        long anonymised = jdbc.queryForObject("select count(*) from member where status = 'ANONYMISED'", Long.class);
        String summary = String.join(System.lineSeparator(), "", "Walkthrough summary",
                "  member base:  " + members + " members, " + anonymised + " anonymised in all",
                "  export " + export.get("id") + ":     club " + export.get("code") + ", as of " + export.get("as_of")
                        + " (cutoff " + export.get("cutoff") + "), " + export.get("members_scanned")
                        + " members scanned, " + export.get("row_count") + " eligible",
                "  review:       " + context.getString(WalkthroughJobConfiguration.REVIEWED_FILE_KEY)
                        + " (deleted once imported)",
                "  import " + imported.get("id") + ":     " + imported.get("status") + ", " + imported.get("rows_read")
                        + " rows read, " + imported.get("members_anonymised") + " anonymised, "
                        + imported.get("rows_rejected") + " rejected",
                "  error file:   " + (imported.get("error_file") == null ? "none (no row rejected)"
                        : imported.get("error_file")),
                "  export file:  deleted once imported (was " + export.get("file_name") + ")",
                "  privacy:      " + report + ".html (and .csv): " + privacy.violations()
                        + " personal values left in anonymised rows",
                "                k = " + privacy.indicator().k() + " on creation dates as stored; "
                        + privacy.generalised().get(0).k() + " / " + privacy.generalised().get(1).k() + " / "
                        + privacy.generalised().get(2).k() + " if kept to the day / month / year");
        log.info(summary);
        return RepeatStatus.FINISHED;
    }
}
