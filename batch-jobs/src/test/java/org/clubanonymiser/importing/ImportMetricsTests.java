package org.clubanonymiser.importing;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.clubanonymiser.metrics.EligibleMembersGauge;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.support.workbook.MembersSheet;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;
import org.clubanonymiser.testsupport.Rows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product's metrics on H2 and PostgreSQL, read from a {@link SimpleMeterRegistry} attached to the registry the
 * application counts into: {@code anonymiser.import.rows} and {@code anonymiser.import.refusals} agree with the import
 * records (a dry run counts nothing), and {@code anonymiser.eligible.members} changes only when refreshed. The
 * anonymising step's progress, with a 10 ms interval and chunks of 5 slowed to 40 ms: lines while it runs, a last one
 * at done = total (the rows the export wrote), only counts in them (none of the members' names, numbers or emails,
 * captured before they were anonymised). (The progress gauges are read where each context has its own registry:
 * ExportProgressJobFunctionalTests, TaskMetricsPushTests; here the two databases' contexts share Micrometer's global
 * one, whose gauge is the first context's.)
 */
class ImportMetricsTests {

    /** Every progress line of the anonymising step, whole: counts, rate, elapsed, estimate; nothing else matches. */
    static final Pattern LINE = Pattern.compile("Progress importAnonymiseStep (at|ended at) [0-9,]+ / [0-9,]+ rows "
            + "\\([0-9.]+%\\), [0-9,]+ rows/s, elapsed [0-9hms ]+, (about [0-9hms ]+ left|time left unknown)$");

    @Import(SlowChunks.class)
    @TestPropertySource(properties = { "anonymiser.import.chunk-size=5", "anonymiser.progress.interval=10ms" })
    @ExtendWith(OutputCaptureExtension.class)
    abstract static class Scenarios {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        NamedParameterJdbcTemplate namedJdbc;

        @Autowired
        StorageLayout storage;

        @Autowired
        JobOperator jobOperator;

        @Autowired
        JobRepository jobRepository;

        @Autowired
        @Qualifier("importJob")
        Job importJob;

        @Autowired
        ObjectProvider<MeterRegistry> meterRegistry;

        @TempDir
        Path work;

        ExportFixtures fixtures;

        JobOperatorTestUtils launcher;

        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        CompositeMeterRegistry composite;

        @BeforeEach
        void setUp() {
            fixtures = new ExportFixtures(jdbc, storage, work);
            fixtures.clean();
            fixtures.standardClubs();
            launcher = new JobOperatorTestUtils(jobOperator, jobRepository);
            launcher.setJob(importJob);
            MeterRegistry application = meterRegistry.getIfAvailable(() -> Metrics.globalRegistry);
            assertThat(application).isInstanceOf(CompositeMeterRegistry.class);
            composite = (CompositeMeterRegistry) application;
            composite.add(registry);
        }

        @AfterEach
        void detach() {
            composite.remove(registry);
            registry.close();
        }

        @Test
        void countsEachCommittedRowOutcomeOnceAndNothingForADryRun() throws Exception {
            List<Long> exported = LongStream.rangeClosed(101, 110).boxed().toList();
            exported.forEach(id -> fixtures.eligibleMember(id, 1));
            ExportFixtures.Export export = fixtures.export(1, exported);
            Path reviewed = fixtures.resaveWithPoi(export.workbook(), MembersSheetEditor.edit(sheet -> sheet
                .set(104, MembersSheet.COL_LAST_NAME, "Someone else")
                .duplicateBelow(105)));
            jdbc.update("insert into visit (id, member_id, club_id, visited_at) values (9107, 107, 1, ?)",
                    Timestamp.valueOf(LocalDateTime.now().minusHours(1)));

            JobExecution dryRun = launcher.startJob(ImportJobParameters.of(reviewed, ExportFixtures.ADMIN, true));

            assertThat(dryRun.getExitStatus().getExitCode()).isEqualTo("COMPLETED_WITH_ERRORS");
            assertThat(total(ImportMetrics.ROWS)).isZero();

            JobExecution real = launcher.startJob(ImportJobParameters.of(reviewed, ExportFixtures.ADMIN));

            assertThat(real.getExitStatus().getExitCode()).isEqualTo("COMPLETED_WITH_ERRORS");
            assertThat(rows("1", "ANONYMISED")).isEqualTo(8);
            assertThat(rows("1", "CONTENT_MODIFIED")).isEqualTo(1);
            assertThat(rows("1", "DUPLICATE_ROW")).isEqualTo(1);
            assertThat(rows("1", "NO_LONGER_ELIGIBLE")).isEqualTo(1);
            assertThat(total(ImportMetrics.ROWS)).isEqualTo(11);
            var record = Rows.map(jdbc, "select * from anonymisation_import where dry_run = ?", false);
            assertThat(record).containsEntry("MEMBERS_ANONYMISED", 8L).containsEntry("ROWS_REJECTED", 3L);
            assertThat(total(ImportMetrics.REFUSALS)).isZero();
        }

        @Test
        void countsARefusalByItsCode() throws Exception {
            fixtures.eligibleMember(101, 1);
            ExportFixtures.Export export = fixtures.export(1, List.of(101L));

            JobExecution refused = launcher.startJob(ImportJobParameters.of(export.workbook(), ExportFixtures.ADMIN));

            assertThat(refused.getExitStatus().getExitCode()).isEqualTo("REFUSED:NOT_RESAVED");
            assertThat(registry.get(ImportMetrics.REFUSALS).tag("code", "NOT_RESAVED").counter().count())
                .isEqualTo(1);
            assertThat(total(ImportMetrics.REFUSALS)).isEqualTo(1);
            assertThat(total(ImportMetrics.ROWS)).isZero();
        }

        @Test
        void theEligibleMembersGaugeChangesOnlyWhenRefreshed() {
            LongStream.rangeClosed(101, 103).forEach(id -> fixtures.eligibleMember(id, 1));
            fixtures.member(104, 1, "CLIENT", BigDecimal.ZERO);
            fixtures.member(105, 1, "FORMER_CLIENT", new BigDecimal("-10.00"));
            fixtures.eligibleMember(201, 2);
            fixtures.eligibleMember(202, 2);
            jdbc.update("insert into visit (id, member_id, club_id, visited_at) values (9202, 202, 2, ?)",
                    Timestamp.valueOf(LocalDateTime.now().minusDays(3)));
            EligibleMembersGauge gauge = new EligibleMembersGauge(namedJdbc, registry, Clock.systemDefaultZone());

            gauge.refresh();

            assertThat(eligible("1")).isEqualTo(3);
            assertThat(eligible("2")).isEqualTo(1);

            jdbc.update("update member set status = 'CLIENT' where id = 101");
            assertThat(eligible("1")).as("a scrape reads the last refresh").isEqualTo(3);

            gauge.refresh();

            assertThat(eligible("1")).isEqualTo(2);
            assertThat(gauge.value(1)).hasValue(2);
        }

        @Test
        void theAnonymisingStepLogsCountsOnlyAgainstTheExportedRows(CapturedOutput output) throws Exception {
            List<Long> exported = LongStream.rangeClosed(101, 112).boxed().toList();
            exported.forEach(id -> fixtures.eligibleMember(id, 1));
            ExportFixtures.Export export = fixtures.export(1, exported);
            Path reviewed = fixtures.resaveWithPoi(export.workbook());
            List<Map<String, Object>> personal = jdbc.queryForList(
                    "select member_number, first_name, last_name, email from member where club_id = 1");

            JobExecution execution = launcher.startJob(ImportJobParameters.of(reviewed, ExportFixtures.ADMIN));

            assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
            List<String> lines = output.getOut().lines().filter(line -> line.contains("Progress import")).toList();
            assertThat(lines).allSatisfy(line -> assertThat(line).containsPattern(LINE));
            assertThat(lines).filteredOn(line -> line.contains("Progress importAnonymiseStep at ")).isNotEmpty();
            assertThat(lines).filteredOn(line -> line.contains("ended at"))
                .singleElement()
                .asString()
                .contains("ended at 12 / 12 rows (100.0%)", "about 0s left");
            String progress = String.join("\n", lines);
            for (Map<String, Object> member : personal) {
                assertThat(progress).doesNotContain((String) member.get("member_number"),
                        (String) member.get("first_name"), (String) member.get("last_name"),
                        (String) member.get("email"));
            }
        }

        private double rows(String club, String outcome) {
            return registry.get(ImportMetrics.ROWS).tag("club", club).tag("outcome", outcome).counter().count();
        }

        /** Counters registered before this test's registry was attached show up in it too, at zero. */
        private double total(String name) {
            return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
        }

        private double eligible(String club) {
            return registry.get(EligibleMembersGauge.METRIC).tag("club", club).gauge().value();
        }
    }

    /** Slows each chunk so that the 10 ms interval fires while the step runs. */
    @TestConfiguration(proxyBeanMethods = false)
    static class SlowChunks {

        @Bean
        AnonymisingWriter.Hook slowChunks() {
            return new AnonymisingWriter.Hook() {

                @Override
                public void beforeLock(long importId, List<Long> memberIds) {
                    try {
                        Thread.sleep(40);
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Scenarios {
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Scenarios {
    }

    @Nested
    @OracleModeDatabase
    class OnOracleMode extends Scenarios {
    }
}
