package org.clubanonymiser.walkthrough;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.function.Function;

import org.clubanonymiser.importing.ImportJobParameters;
import org.clubanonymiser.privacy.PrivacyReports;
import org.clubanonymiser.support.AnonymiserProperties;
import org.clubanonymiser.support.execution.TaskletJobs;
import org.clubanonymiser.support.storage.StorageLayout;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code demoWalkthroughJob}, the quick start's one command: the seed's whole workflow on the embedded default, each
 * part being the real job, run as a step ({@code JobStep}): seed demo data ({@code demoDataJob}) → export the first
 * club's members inactive for 36 months ({@code exportJob}, as the multi-site demo admin) → the admin's review,
 * simulated by re-saving the workbook ({@link ReviewTasklet}) → import it ({@code importJob}) → its privacy report
 * ({@code privacyReportJob}, under {@code <storage-dir>/reports/}) → a summary in the log.
 * Parameters: {@code members} (10000), {@code clubs} (3), {@code seed} (42), {@code asOf} (today). A relaunch with
 * the same parameters restarts where it failed; each sub-job restarts after its own last committed chunk. Once one
 * has completed, any further walkthrough on the same database is refused up front ({@link WalkthroughOnceValidator}).
 */
@Configuration(proxyBeanMethods = false)
class WalkthroughJobConfiguration {

    static final String REVIEWED_FILE_KEY = "walkthrough.reviewedFile";

    static final String EXPORT_ID_KEY = "walkthrough.exportId";

    /** The multi-site demo admin (see the demo users in docs/jobs.md): may export and import for every demo club. */
    static final String ADMIN = "admin.multi";

    static final String EXPORT_NAME = "Walkthrough: inactive for 36 months";

    @Bean
    Job demoWalkthroughJob(JobRepository jobRepository, AnonymiserProperties properties, Step walkthroughSeedStep,
            Step walkthroughExportStep, Step walkthroughReviewStep, Step walkthroughImportStep,
            Step walkthroughPrivacyReportStep, Step walkthroughSummaryStep) {
        return new JobBuilder(WalkthroughOnceValidator.JOB_NAME, jobRepository)
            .validator(new WalkthroughOnceValidator(jobRepository, properties.storageDir()))
            .start(walkthroughSeedStep)
            .next(walkthroughExportStep)
            .next(walkthroughReviewStep)
            .next(walkthroughImportStep)
            .next(walkthroughPrivacyReportStep)
            .next(walkthroughSummaryStep)
            .build();
    }

    @Bean
    Step walkthroughSeedStep(JobRepository jobRepository, JobOperator jobOperator,
            @Qualifier("demoDataJob") Job demoDataJob) {
        return jobStep("walkthroughSeedStep", demoDataJob, jobRepository, jobOperator,
                step -> new JobParametersBuilder()
                    .addString("members", parameter(step, "members", "10000"))
                    .addString("clubs", parameter(step, "clubs", "3"))
                    .addString("seed", parameter(step, "seed", "42"))
                    .addString("asOf", asOf(step))
                    .toJobParameters());
    }

    @Bean
    Step walkthroughExportStep(JobRepository jobRepository, JobOperator jobOperator,
            @Qualifier("exportJob") Job exportJob, JdbcTemplate jdbcTemplate) {
        return jobStep("walkthroughExportStep", exportJob, jobRepository, jobOperator,
                step -> new JobParametersBuilder()
                    .addString("clubId", String.valueOf(firstClub(jdbcTemplate)))
                    .addString("inactivityMonths", "36")
                    .addString("exportName", EXPORT_NAME)
                    .addString("requestedBy", ADMIN)
                    .addString("asOf", asOf(step))
                    .toJobParameters());
    }

    @Bean
    Step walkthroughReviewStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcTemplate jdbcTemplate, StorageLayout storageLayout) {
        return TaskletJobs.step("walkthroughReviewStep", jobRepository,
                new ReviewTasklet(jdbcTemplate, storageLayout), transactionManager).build();
    }

    @Bean
    Step walkthroughImportStep(JobRepository jobRepository, JobOperator jobOperator,
            @Qualifier("importJob") Job importJob) {
        return jobStep("walkthroughImportStep", importJob, jobRepository, jobOperator,
                step -> ImportJobParameters.of(
                        Path.of(step.getJobExecution().getExecutionContext().getString(REVIEWED_FILE_KEY)), ADMIN));
    }

    /** The privacy report of the import just run ({@code privacyReportJob importId=<id>}). */
    @Bean
    Step walkthroughPrivacyReportStep(JobRepository jobRepository, JobOperator jobOperator,
            @Qualifier("privacyReportJob") Job privacyReportJob, JdbcTemplate jdbcTemplate) {
        return jobStep("walkthroughPrivacyReportStep", privacyReportJob, jobRepository, jobOperator,
                step -> new JobParametersBuilder()
                    .addString("importId", String.valueOf(importOf(jdbcTemplate,
                            step.getJobExecution().getExecutionContext().getLong(EXPORT_ID_KEY))))
                    .toJobParameters());
    }

    @Bean
    Step walkthroughSummaryStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcTemplate jdbcTemplate, PrivacyReports privacyReports, StorageLayout storageLayout) {
        return TaskletJobs.step("walkthroughSummaryStep", jobRepository,
                new SummaryTasklet(jdbcTemplate, privacyReports, storageLayout), transactionManager).build();
    }

    /** A part of the walkthrough: the real job run as a step, with the parameters this step execution gives it. */
    private static Step jobStep(String name, Job job, JobRepository jobRepository, JobOperator jobOperator,
            Function<StepExecution, JobParameters> parameters) {
        return new StepBuilder(name, jobRepository).job(job)
            .operator(jobOperator)
            .parametersExtractor((ignored, step) -> parameters.apply(step))
            .build();
    }

    /** The walkthrough's import: the latest of its export. */
    static long importOf(JdbcTemplate jdbc, long exportId) {
        return jdbc.queryForObject("select id from anonymisation_import where export_id = ? order by id desc"
                + " fetch first 1 rows only", Long.class, exportId);
    }

    private static String parameter(StepExecution step, String key, String defaultValue) {
        JobParameters parameters = step.getJobExecution().getJobParameters();
        String value = parameters.getString(key);
        return value == null ? defaultValue : value;
    }

    /** The walkthrough's asOf, or the day its first execution started (kept across restarts). */
    private static String asOf(StepExecution step) {
        String given = step.getJobExecution().getJobParameters().getString("asOf");
        if (given != null) {
            return given;
        }
        return step.getJobExecution().getJobInstance() == null ? LocalDate.now().toString()
                : firstStart(step).toString();
    }

    private static LocalDate firstStart(StepExecution step) {
        var context = step.getJobExecution().getExecutionContext();
        if (!context.containsKey("walkthrough.asOf")) {
            context.putString("walkthrough.asOf", LocalDate.now().toString());
        }
        return LocalDate.parse(context.getString("walkthrough.asOf"));
    }

    private static long firstClub(JdbcTemplate jdbc) {
        Long club = jdbc.queryForObject("select min(id) from club", Long.class);
        if (club == null) {
            throw new IllegalStateException("No club to export: the demo data step seeded nothing");
        }
        return club;
    }
}
