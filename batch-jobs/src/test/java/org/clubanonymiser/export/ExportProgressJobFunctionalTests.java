package org.clubanonymiser.export;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.PostgresDatabase;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * exportJob's progress in the log and the gauges, with a 10 ms interval and chunks slowed to 40 ms: progress lines
 * while the manifest step runs, a last line per step with done = total, nothing but counts in any of them (no name,
 * member number or export name), and the gauges at the end of the run.
 */
class ExportProgressJobFunctionalTests {

    /**
     * Every progress line, whole: step, counts, rate, elapsed, estimate; nothing else can match. The workbook's total
     * is "?" until its tasklet has counted the manifest.
     */
    static final Pattern LINE = Pattern.compile("Progress (exportManifestStep|exportWorkbookStep) (at|ended at) "
            + "[0-9,]+ (/ [0-9,]+ (members|rows) \\([0-9.]+%\\)|/ \\? rows), [0-9,]+ (members|rows)/s, "
            + "elapsed [0-9hms ]+, (about [0-9hms ]+ left|time left unknown)$");

    @Import({ ExportTestConfiguration.class, SlowChunks.class })
    @TestPropertySource(properties = { ExportJobFunctionalTests.CHUNK_SIZE, ExportJobFunctionalTests.WINDOW,
            "anonymiser.progress.interval=10ms" })
    @ExtendWith(OutputCaptureExtension.class)
    abstract static class Contract {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        JobOperator jobOperator;

        @Autowired
        Job exportJob;

        @Autowired
        MeterRegistry meterRegistry;

        @Test
        void eachStepLogsCountsOnlyAndTheGaugesEndAtTheTotal(CapturedOutput output) throws Exception {
            ExportScenario scenario = new ExportScenario(jdbc);
            long clubMembers = jdbc.queryForObject("select count(*) from member where club_id = ?", Long.class,
                    scenario.clubId);
            int rows = scenario.expectedRows().size();

            JobExecution execution = jobOperator.start(exportJob, scenario.parameters("Progress"));

            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            List<String> lines = progressLines(output.getOut());
            assertThat(lines).allSatisfy(line -> assertThat(line).containsPattern(LINE));
            assertThat(lines).filteredOn(line -> line.contains("Progress exportManifestStep at "))
                .as("lines while the manifest step runs (%d chunks of 40 ms, a line every 10 ms)", clubMembers / 4)
                .isNotEmpty();
            assertThat(lines).filteredOn(line -> line.contains("Progress exportManifestStep ended at "))
                .singleElement()
                .asString()
                .contains(String.format("ended at %d / %d members (100.0%%)", clubMembers, clubMembers));
            assertThat(lines).filteredOn(line -> line.contains("Progress exportWorkbookStep ended at "))
                .singleElement()
                .asString()
                .contains(String.format("ended at %d / %d rows (100.0%%)", rows, rows), "about 0s left");
            String progress = String.join("\n", lines);
            for (Map<String, Object> member : jdbc.queryForList(
                    "select member_number, first_name, last_name from member where club_id = ?", scenario.clubId)) {
                assertThat(progress).doesNotContain((String) member.get("member_number"),
                        (String) member.get("first_name"), (String) member.get("last_name"));
            }
            assertThat(progress).doesNotContain("Progress " + scenario.clubId);

            assertThat(gauge("exportManifestStep", "done")).isEqualTo(clubMembers);
            assertThat(gauge("exportManifestStep", "expected")).isEqualTo(clubMembers);
            assertThat(gauge("exportManifestStep", "remaining")).isZero();
            assertThat(gauge("exportManifestStep", "elapsed")).isPositive();
            assertThat(gauge("exportWorkbookStep", "done")).isEqualTo(rows);
            assertThat(gauge("exportWorkbookStep", "expected")).isEqualTo(rows);
        }

        private double gauge(String step, String name) {
            return meterRegistry.get("anonymiser.progress." + name)
                .tag("job.name", "exportJob")
                .tag("step.name", step)
                .gauge()
                .value();
        }

        private static List<String> progressLines(String log) {
            return log.lines().filter(line -> line.contains("Progress export")).toList();
        }
    }

    /** Slows each manifest chunk so that the 10 ms interval fires while the step runs. */
    @TestConfiguration(proxyBeanMethods = false)
    static class SlowChunks {

        @Bean
        ExportProgressListener.Hook slowChunks() {
            return exportId -> {
                try {
                    Thread.sleep(40);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            };
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Contract {
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Contract {
    }
}
