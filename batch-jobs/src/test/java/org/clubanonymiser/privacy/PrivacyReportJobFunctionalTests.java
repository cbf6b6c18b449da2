package org.clubanonymiser.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.clubanonymiser.anonymisation.AnonymisationPlan;
import org.clubanonymiser.anonymisation.CreationDatePrecision;
import org.clubanonymiser.anonymisation.PlanExecutor;
import org.clubanonymiser.anonymisation.SingleAnonymisation;
import org.clubanonymiser.anonymisation.SingleMemberAnonymiser;
import org.clubanonymiser.anonymisation.SingleMemberMetrics;
import org.clubanonymiser.support.UserAccess;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code privacyReportJob} on {@link PrivacyFixtures}' exact member base, on H2 and PostgreSQL: counts by outcome,
 * requests, verification (with negative controls: a personal value planted in an anonymised row is found by its
 * check), the re-identification indicator at each precision, the CSV and HTML files (0600, no member name), the
 * refused launches, and the creation-date generalisation the anonymisation applies.
 */
class PrivacyReportJobFunctionalTests {

    abstract static class Contract {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        JobOperator jobOperator;

        @Autowired
        Job privacyReportJob;

        @Autowired
        PrivacyReports reports;

        @Autowired
        StorageLayout storage;

        PrivacyFixtures fixtures;

        @BeforeEach
        void seed() {
            fixtures = new PrivacyFixtures(jdbc);
            fixtures.seed();
        }

        private JobExecution run(String... keyValues) throws Exception {
            JobParametersBuilder parameters = new JobParametersBuilder();
            for (int i = 0; i < keyValues.length; i += 2) {
                parameters.addString(keyValues[i], keyValues[i + 1]);
            }
            JobExecution execution = jobOperator.start(privacyReportJob, parameters.toJobParameters());
            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            return execution;
        }

        private static Map<String, String> csv(Path file) throws IOException {
            Map<String, String> values = new java.util.LinkedHashMap<>();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            assertThat(lines.get(0)).isEqualTo("section,item,value");
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", 3);
                values.put(cells[0] + "/" + cells[1], cells[2]);
            }
            return values;
        }

        @Test
        void theReportOfAnImportCountsItsOutcomesChecksItsRowsAndMeasuresK() throws Exception {
            JobExecution execution = run("importId", String.valueOf(PrivacyFixtures.IMPORT));

            Path csvFile = storage.reportsDir().resolve("privacy-import-10.csv");
            Path htmlFile = storage.reportsDir().resolve("privacy-import-10.html");
            assertThat(execution.getStepExecutions().iterator().next().getWriteCount()).isEqualTo(12);
            Map<String, String> csv = csv(csvFile);
            assertThat(csv).containsEntry("report/scope", "IMPORT")
                .containsEntry("report/plan_version", AnonymisationPlan.VERSION)
                .containsEntry("report/members_anonymised_under_plan:" + AnonymisationPlan.VERSION, "12")
                .containsEntry("report/creation_date_precision", "EXACT")
                .containsEntry("outcome/anonymised", "12")
                .containsEntry("outcome/anonymised_by_import", "12")
                .containsEntry("outcome/anonymised_single", "0")
                .containsEntry("outcome/rejected", "2")
                .containsEntry("outcome/rejected:CONTENT_MODIFIED", "1")
                .containsEntry("outcome/rejected:NO_LONGER_ELIGIBLE", "1")
                .containsEntry("outcome/kept_by_reviewer", "2")
                .containsEntry("outcome/refused_single", "0")
                .containsEntry("request/import 10.club", "PAR-01")
                .containsEntry("request/import 10.requested_by", "admin.par01")
                .containsEntry("request/import 10.status", "COMPLETED_WITH_ERRORS")
                .containsEntry("check/total_violations", "0");
            for (AnonymisationCheck check : AnonymisationCheck.values()) {
                assertThat(csv).containsEntry("check/" + check.name(), "0");
            }
            // Creation dates are exact: every member alone in its group.
            assertThat(csv).containsEntry("indicator/as_stored.members", "12")
                .containsEntry("indicator/as_stored.groups", "12")
                .containsEntry("indicator/as_stored.k", "1")
                .containsEntry("indicator/day.k", "1")
                // Months of 2019 in club 1, members 40 (January) included: 6, 4, 2, 1.
                .containsEntry("indicator/month.groups", "4")
                .containsEntry("indicator/month.k", "1")
                .containsEntry("indicator/month.groups_smaller_than_5", "3")
                .containsEntry("indicator/month.members_in_groups_smaller_than_5", "7")
                .containsEntry("indicator/month.groups_of_size_1", "1")
                .containsEntry("indicator/month.groups_of_size_2-4", "2")
                .containsEntry("indicator/month.groups_of_size_5-9", "1")
                // The year: the import's 12 and the older import's 2 members of 2019.
                .containsEntry("indicator/year.groups", "1")
                .containsEntry("indicator/year.k", "14")
                .containsEntry("indicator/year.groups_of_size_10-49", "1");

            String html = Files.readString(htmlFile);
            assertThat(html).startsWith("<!DOCTYPE html>").contains("Privacy report: import 10")
                .contains("<table id=\"checks\">").contains("passed: no personal value found")
                .doesNotContain("VIOLATION");
            for (Path file : List.of(csvFile, htmlFile)) {
                assertThat(Files.readString(file)).doesNotContainIgnoringCase(PrivacyFixtures.CANARY);
                if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                        .isEqualTo("rw-------");
                }
            }
            assertThat(Files.list(storage.tempDir()).filter(p -> p.getFileName().toString().startsWith("report-")))
                .isEmpty();
        }

        @Test
        void aPersonalValueLeftInAnAnonymisedRowIsFoundByItsCheck() {
            assertThat(violations()).allSatisfy((code, count) -> assertThat(count).as(code).isZero());
            jdbc.update("update member set last_name = 'Canary' where id = 3");
            jdbc.update("update member set email = 'x@example.org', notes = 'n' where id = 4");
            jdbc.update("update member set birth_date = date '1980-01-01', sales_blocked = false where id = 5");
            jdbc.update("update member set status = 'FORMER_CLIENT' where id = 6");
            jdbc.update("update member_address set city = 'Paris' where member_id = 7");
            jdbc.update("insert into member_phone (id, member_id, kind, number) values (7001, 7, 'HOME', '0100000000')");
            jdbc.update("update member_consent set granted = true where member_id = 8 and channel = 'SMS'");
            jdbc.update("update badge set status = 'ACTIVE' where member_id = 9");
            jdbc.update("delete from retired_badge_number where badge_number = 'B-10'");

            assertThat(violations()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(Map.entry("NAMES", 1L),
                    Map.entry("EMAIL", 1L), Map.entry("NOTES", 1L), Map.entry("BIRTH_DATE", 1L),
                    Map.entry("BLOCKED", 1L), Map.entry("STATUS", 1L), Map.entry("ADDRESS", 1L),
                    Map.entry("PHONES", 1L), Map.entry("CONSENTS", 1L), Map.entry("BADGES_RETIRED", 1L),
                    Map.entry("BADGE_NUMBERS_RESERVED", 1L)));
            PrivacyReport report = reports.build(ReportScope.ofImport(PrivacyFixtures.IMPORT));
            assertThat(report.violations()).isEqualTo(11);
            assertThat(PrivacyReportHtml.render(report)).contains("VIOLATION").contains("FAILED: 11 violation(s)")
                .doesNotContain("Canary");
        }

        private Map<String, Long> violations() {
            Map<String, Long> counts = new java.util.HashMap<>();
            reports.build(ReportScope.ofImport(PrivacyFixtures.IMPORT)).checks()
                .forEach(c -> counts.put(c.code(), c.violations()));
            return counts;
        }

        @Test
        void aPeriodReportCoversTheAnonymisationsOfItsDaysAndClubs() throws Exception {
            run("from", "2026-11-01", "to", "2026-11-30", "clubId", String.valueOf(PrivacyFixtures.PAR));

            Map<String, String> par = csv(storage.reportsDir().resolve("privacy-2026-11-01-to-2026-11-30-clubs-1.csv"));
            assertThat(par).containsEntry("report/scope", "PERIOD").containsEntry("outcome/anonymised", "13")
                .containsEntry("outcome/anonymised_single", "1").containsEntry("outcome/refused_single:NOT_SETTLED", "1")
                .containsEntry("outcome/rejected", "2").containsEntry("outcome/kept_by_reviewer", "2")
                .containsKey("request/import 10.requested_by").doesNotContainKey("request/import 11.requested_by")
                .doesNotContainKey("request/import 9.requested_by");

            PrivacyReport all = reports.build(ReportScope.ofPeriod(LocalDate.of(2024, 1, 1), LocalDate.of(2026, 12, 31),
                    Set.of()));
            assertThat(all.outcomes().anonymised()).isEqualTo(16);
            assertThat(all.outcomes().single()).isEqualTo(1);
            assertThat(all.outcomes().refusedByCode()).containsExactly(Map.entry("NOT_SETTLED", 1L));
            assertThat(all.planVersions()).containsOnly(Map.entry(AnonymisationPlan.VERSION, 14L),
                    Map.entry(PrivacyReport.UNRECORDED, 2L));
            assertThat(all.requests()).extracting(r -> r.source() + " " + r.id() + " " + r.status())
                .containsExactly("IMPORT 9 COMPLETED", "IMPORT 10 COMPLETED_WITH_ERRORS", "IMPORT 11 COMPLETED",
                        "SINGLE 60 ANONYMISED", "SINGLE 24 REFUSED NOT_SETTLED");
            // Club 2's member is alone in its club: k = 1 even by the year.
            assertThat(all.generalised().get(2).k()).isEqualTo(1);
            assertThat(all.generalised().get(2).groups()).as("club 1 in 2019 and 2017, club 2 in 2018").isEqualTo(3);

            PrivacyReport lyo = reports.build(ReportScope.ofPeriod(LocalDate.of(2026, 11, 21),
                    LocalDate.of(2026, 11, 21), Set.of(PrivacyFixtures.LYO)));
            assertThat(lyo.outcomes().anonymised()).isEqualTo(1);
            assertThat(lyo.requests()).extracting(PrivacyReport.Request::requestedBy).containsExactly("admin.lyo01");
        }

        @Test
        void aMemberReportCoversThatMembersAnonymisation() throws Exception {
            run("memberId", "40");

            Map<String, String> csv = csv(storage.reportsDir().resolve("privacy-member-40.csv"));
            assertThat(csv).containsEntry("report/scope", "MEMBER").containsEntry("outcome/anonymised", "1")
                .containsEntry("check/total_violations", "0").containsEntry("indicator/as_stored.k", "1")
                // January 2019 in club 1: members 1-5 and 40.
                .containsEntry("indicator/month.k", "6");
        }

        @Test
        void aSingleMemberAnonymisationHasItsOwnReport() throws Exception {
            run("memberId", String.valueOf(PrivacyFixtures.SINGLE));

            Map<String, String> csv = csv(storage.reportsDir().resolve("privacy-member-60.csv"));
            assertThat(csv).containsEntry("outcome/anonymised", "1").containsEntry("outcome/anonymised_single", "1")
                .containsEntry("outcome/anonymised_by_import", "0")
                .containsEntry("request/single 60.requested_by", "manager.granted")
                .containsEntry("request/single 60.status", "ANONYMISED")
                .containsEntry("check/total_violations", "0")
                // Alone in club 1 among those created in 2017.
                .containsEntry("indicator/year.k", "1");
        }

        @Test
        void badParametersAreRefusedBeforeAnyJobInstanceExists() {
            long instances = jdbc.queryForObject("select count(*) from batch_job_instance", Long.class);
            for (String[] refused : List.of(new String[] {}, new String[] { "importId", "10", "memberId", "1" },
                    new String[] { "importId", "999" }, new String[] { "memberId", "20" },
                    new String[] { "from", "2026-11-30", "to", "2026-11-01" }, new String[] { "from", "yesterday" },
                    new String[] { "importId", "10", "clubId", "1" }, new String[] { "from", "2026-11-01", "clubId", "77" },
                    new String[] { "importId", "ten" })) {
                JobParametersBuilder parameters = new JobParametersBuilder();
                for (int i = 0; i < refused.length; i += 2) {
                    parameters.addString(refused[i], refused[i + 1]);
                }
                assertThatExceptionOfType(InvalidJobParametersException.class).as(String.join(" ", refused))
                    .isThrownBy(() -> jobOperator.start(privacyReportJob, parameters.toJobParameters()));
            }
            assertThat(jdbc.queryForObject("select count(*) from batch_job_instance", Long.class))
                .isEqualTo(instances);
        }

        @Test
        void runningTheSameReportTwiceMakesTwoInstancesAndTheSameFigures() throws Exception {
            JobExecution first = run("importId", "10");
            String before = Files.readString(storage.reportsDir().resolve("privacy-import-10.csv"));
            JobExecution second = run("importId", "10");
            String after = Files.readString(storage.reportsDir().resolve("privacy-import-10.csv"));

            assertThat(second.getJobInstance().getInstanceId()).isNotEqualTo(first.getJobInstance().getInstanceId());
            assertThat(after.lines().filter(l -> !l.startsWith("report,generated_at")).toList())
                .isEqualTo(before.lines().filter(l -> !l.startsWith("report,generated_at")).toList());
        }

        @Test
        void theGeneralisationTruncatesTheCreationDateOfAnonymisedMembersOnly() {
            PlanExecutor plan = new PlanExecutor(AnonymisationPlan.current());
            NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(jdbc);

            assertThat(plan.generalise(named, List.of(1L, 2L, 20L), CreationDatePrecision.MONTH)).isEqualTo(2);

            assertThat(createdAt(1)).isEqualTo(LocalDateTime.of(2019, 1, 1, 0, 0));
            assertThat(createdAt(2)).isEqualTo(LocalDateTime.of(2019, 1, 1, 0, 0));
            assertThat(createdAt(20)).as("not anonymised: untouched").isEqualTo(LocalDateTime.of(2019, 1, 5, 10, 0));
            assertThat(plan.generalise(named, List.of(1L, 2L, 20L), CreationDatePrecision.MONTH)).as("idempotent")
                .isZero();
            assertThat(plan.generalise(named, List.of(3L), CreationDatePrecision.EXACT)).isZero();
            assertThat(plan.generalise(named, List.of(4L), CreationDatePrecision.YEAR)).isEqualTo(1);
            assertThat(createdAt(4)).isEqualTo(LocalDateTime.of(2019, 1, 1, 0, 0));
            assertThat(createdAt(3)).isEqualTo(LocalDateTime.of(2019, 1, 12, 11, 17, 42));
        }

        @Autowired
        PlatformTransactionManager transactionManager;

        @Autowired
        UserAccess userAccess;

        /** The single-member path applies the plan's generalisation too (the import's writer: the walkthrough test). */
        @Test
        void aSingleMemberAnonymisationGeneralisesTheCreationDateToo() {
            jdbc.update("""
                    insert into app_user (id, username, display_name, password_hash, role, mass_anonymisation_granted)
                    values (1, 'admin.par01', 'Admin', '{noop}x', 'ADMIN', false)""");
            jdbc.update("insert into app_user_club (user_id, club_id) values (1, ?)", PrivacyFixtures.PAR);
            SingleMemberAnonymiser anonymiser = new SingleMemberAnonymiser(new NamedParameterJdbcTemplate(jdbc),
                    transactionManager, userAccess, new SingleMemberMetrics(new SimpleMeterRegistry()),
                    Clock.systemDefaultZone(), SingleMemberAnonymiser.Hook.NONE, CreationDatePrecision.YEAR);

            SingleAnonymisation outcome = anonymiser.anonymise(22, "admin.par01", null,
                    SingleMemberAnonymiser.Channel.TASK, null);

            assertThat(outcome.outcome()).isEqualTo(SingleAnonymisation.Outcome.ANONYMISED);
            assertThat(createdAt(22)).isEqualTo(LocalDateTime.of(2019, 1, 1, 0, 0));
            PrivacyReport report = reports.build(ReportScope.ofMember(22));
            assertThat(report.violations()).isZero();
            assertThat(report.outcomes().single()).isEqualTo(1);
        }

        private LocalDateTime createdAt(long id) {
            return jdbc.queryForObject("select created_at from member where id = ?", Timestamp.class, id)
                .toLocalDateTime();
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

    @Nested
    @OracleModeDatabase
    class OnOracleMode extends Contract {
    }
}
