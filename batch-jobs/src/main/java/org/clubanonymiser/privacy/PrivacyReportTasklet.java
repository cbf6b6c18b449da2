package org.clubanonymiser.privacy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.clubanonymiser.support.execution.JobParameterValues;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * {@code privacyReportStep}: builds the report of the scope its job's parameters name ({@link PrivacyReportJobParameters})
 * and writes its two files; logs where, with counts only. Read-only on the database; re-running it rewrites the same
 * files. Stateless: one instance serves every run.
 */
class PrivacyReportTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(PrivacyReportTasklet.class);

    /** Step execution context keys: the files written (paths under the storage dir, no personal data). */
    static final String CSV_KEY = "privacyReportJob.csv";

    static final String HTML_KEY = "privacyReportJob.html";

    private final PrivacyReports reports;

    private final PrivacyReportFiles files;

    PrivacyReportTasklet(PrivacyReports reports, PrivacyReportFiles files) {
        this.reports = reports;
        this.files = files;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ReportScope scope = JobParameterValues
            .accepted(PrivacyReportJobParameters::from, contribution.getStepExecution().getJobParameters())
            .scope();
        PrivacyReport report = reports.build(scope);
        PrivacyReportFiles.Written written = files.write(report);
        var context = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        context.putString(CSV_KEY, written.csv().toString());
        context.putString(HTML_KEY, written.html().toString());
        contribution.incrementWriteCount(report.outcomes().anonymised());
        log.info("Privacy report of {}: {} anonymised, {} rejected, {} kept by the reviewer; {} verification "
                + "violation(s); k = {} (as stored), {} / {} / {} (day / month / year); written to {} and {}",
                scope.describe(), report.outcomes().anonymised(), report.outcomes().rejected(),
                report.outcomes().keptByReviewer(), report.violations(), report.indicator().k(),
                report.generalised().get(0).k(), report.generalised().get(1).k(), report.generalised().get(2).k(),
                written.csv(), written.html());
        return RepeatStatus.FINISHED;
    }
}
