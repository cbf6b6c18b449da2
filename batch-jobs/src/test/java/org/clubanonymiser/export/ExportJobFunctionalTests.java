package org.clubanonymiser.export;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.SheetVisibility;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.clubanonymiser.eligibility.EligibilitySql;
import org.clubanonymiser.eligibility.Ineligibility;
import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.exportrecord.ExportStatus;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.support.workbook.ExportIdentity;
import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.support.workbook.MembersSheet;
import org.clubanonymiser.support.workbook.RowFingerprint;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.database.JdbcBatchItemWriter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * exportJob end to end on a controlled member base: the produced zip and workbook, the manifest, the export record and
 * the metrics, on H2 and PostgreSQL.
 */
class ExportJobFunctionalTests {

    /**
     * What every export test runs with (one shared application context per database): small chunks and a small
     * workbook window, so that a club's few members span several chunks, pages and SXSSF flushes.
     */
    static final String CHUNK_SIZE = "anonymiser.export.chunk-size=4";

    static final String WINDOW = "anonymiser.export.workbook-window=10";

    @Import(ExportTestConfiguration.class)
    @TestPropertySource(properties = { CHUNK_SIZE, WINDOW })
    abstract static class Contract {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        JobOperator jobOperator;

        @Autowired
        Job exportJob;

        @Autowired
        StorageLayout storage;

        @Autowired
        ExportRecords records;

        @Autowired
        MeterRegistry meterRegistry;

        @Autowired
        DataSource dataSource;

        @Autowired
        PlatformTransactionManager transactionManager;

        /** The eligibility rules written independently of the product's SQL and rules, as a plain query. */
        List<Long> eligibleBySql(long clubId, LocalDate cutoff) {
            Timestamp cutoffStart = Timestamp.valueOf(cutoff.atStartOfDay());
            return jdbc.queryForList("""
                    select m.id from member m
                    where m.club_id = ? and m.status in ('PROSPECT', 'FORMER_CLIENT') and m.anonymised_at is null
                      and m.created_at < ?
                      and not exists (select 1 from member_account a where a.member_id = m.id and a.balance <> 0)
                      and not exists (select 1 from visit v where v.member_id = m.id and v.visited_at >= ?)
                      and not exists (select 1 from booking b where b.member_id = m.id
                                      and (b.booked_at >= ? or b.starts_at >= ?))
                      and not exists (select 1 from purchase p where p.member_id = m.id and p.purchased_at >= ?)
                      and not exists (select 1 from instalment i where i.member_id = m.id and i.due_date >= ?)
                    order by m.id""", Long.class, clubId, cutoffStart, cutoffStart, cutoffStart, cutoffStart,
                    cutoffStart, cutoff);
        }

        /**
         * Each eligibility criterion alone, at its exact boundary (the rules: activity "on or after the cutoff" keeps
         * a member, creation must be before it): for visit, booking made, booking start, purchase, instalment due and
         * creation, a member whose only activity (or creation) is on the last instant of the day before the cutoff
         * (eligible), at the first instant of the cutoff day, and the day after (both kept). A booking made after
         * the cutoff for a session that started before it isolates "booked at"; the other bookings are made long
         * before. The exported members, the independent query and the import's re-check predicate must all agree.
         */
        @Test
        void eachCriterionAloneDecidesAtItsExactBoundary() throws Exception {
            ExportTestData data = ExportTestData.next(jdbc);
            long clubId = data.club(1);
            String admin = data.user(1, "ADMIN", false, clubId);
            LocalDateTime cutoff = ExportScenario.CUTOFF;
            LocalDateTime longBefore = LocalDateTime.of(2020, 1, 6, 9, 0);
            Map<String, LocalDateTime> days = new java.util.LinkedHashMap<>();
            days.put("before", cutoff.minusSeconds(1));
            days.put("of", cutoff);
            days.put("after", cutoff.plusDays(1));
            List<Long> expected = new java.util.ArrayList<>();
            List<Long> all = new java.util.ArrayList<>();
            int n = 1;
            for (var day : days.entrySet()) {
                LocalDateTime at = day.getValue();
                List<ExportTestData.Member> members = List.of(data.member(n++, clubId).visit(at),
                        data.member(n++, clubId).booking(at, longBefore),
                        data.member(n++, clubId).booking(longBefore, at),
                        data.member(n++, clubId).purchase(at),
                        data.member(n++, clubId).instalment(at.toLocalDate()),
                        data.member(n++, clubId).createdAt(at));
                for (ExportTestData.Member member : members) {
                    long id = member.insert();
                    all.add(id);
                    if (day.getKey().equals("before")) {
                        expected.add(id);
                    }
                }
            }
            JobExecution execution = jobOperator.start(exportJob, new JobParametersBuilder()
                .addLong(ExportParameters.CLUB_ID, clubId)
                .addLong(ExportParameters.INACTIVITY_MONTHS, (long) ExportScenario.MONTHS)
                .addString(ExportParameters.EXPORT_NAME, "Boundaries " + clubId)
                .addString(ExportParameters.REQUESTED_BY, admin)
                .addLocalDate(ExportParameters.AS_OF, ExportScenario.AS_OF)
                .toJobParameters());

            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            ExportRecord export = records.findByJobInstance(execution.getJobInstance().getInstanceId()).orElseThrow();
            assertThat(export.cutoff()).isEqualTo(cutoff.toLocalDate());
            assertThat(export.membersScanned()).isEqualTo(all.size()).isEqualTo(18);
            List<Long> exported = jdbc.queryForList("select member_id from anonymisation_export_member"
                    + " where export_id = ? order by member_id", Long.class, export.id());
            assertThat(exported).as("exported: each criterion's day-before member only").isEqualTo(expected)
                .hasSize(6);
            assertThat(eligibleBySql(clubId, export.cutoff())).as("the independent query").isEqualTo(expected);
            assertThat(new NamedParameterJdbcTemplate(jdbc).queryForList("select m.id from member m"
                    + " where m.club_id = :clubId and " + EligibilitySql.ELIGIBLE_PREDICATE + " order by m.id",
                    Map.of("clubId", clubId, "cutoff", Timestamp.valueOf(cutoff), "cutoffDate", export.cutoff()),
                    Long.class)).as("the import's re-check").isEqualTo(expected);
        }

        @Test
        void exportsExactlyTheEligibleMembersOfTheClubAsAZippedWorkbook() throws Exception {
            ExportScenario scenario = new ExportScenario(jdbc);
            JobExecution execution = jobOperator.start(exportJob, scenario.parameters("Spring clean-up"));

            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            ExportRecord export = records.findByJobInstance(execution.getJobInstance().getInstanceId()).orElseThrow();
            List<Long> eligibleIds = eligibleBySql(scenario.clubId, export.cutoff());
            assertThat(eligibleIds).as("the independent query").hasSize(15).isEqualTo(scenario.expectedIds());
            // The shared predicate the import re-checks eligibility with agrees, boundaries included.
            assertThat(new NamedParameterJdbcTemplate(jdbc).queryForList("select m.id from member m"
                    + " where m.club_id = :clubId and " + EligibilitySql.ELIGIBLE_PREDICATE + " order by m.id",
                    Map.of("clubId", scenario.clubId, "cutoff", Timestamp.valueOf(ExportScenario.CUTOFF),
                            "cutoffDate", export.cutoff()), Long.class)).isEqualTo(eligibleIds);

            // The export record.
            assertThat(export.status()).isEqualTo(ExportStatus.COMPLETED);
            assertThat(export.name()).isEqualTo("Spring clean-up " + scenario.clubId);
            assertThat(export.clubId()).isEqualTo(scenario.clubId);
            assertThat(export.clubCode()).isEqualTo(scenario.clubCode);
            assertThat(export.requestedBy()).isEqualTo(scenario.admin);
            assertThat(export.asOf()).isEqualTo(ExportScenario.AS_OF);
            assertThat(export.cutoff()).isEqualTo(LocalDate.of(2025, 3, 31));
            assertThat(export.inactivityMonths()).isEqualTo(12);
            assertThat(export.membersScanned()).isEqualTo(scenario.clubMembers.size()).isEqualTo(30);
            assertThat(export.membersEligible()).isEqualTo(15);
            assertThat(export.rowCount()).isEqualTo(15);
            assertThat(export.formatVersion()).isEqualTo(MembersSheet.FORMAT_VERSION);
            assertThat(export.jobExecutionId()).isEqualTo(execution.getId());
            assertThat(export.createdAt()).isNotNull();
            assertThat(export.completedAt()).isAfterOrEqualTo(export.createdAt());
            assertThat(export.fileDeletedAt()).isNull();
            String base = "export-" + export.id() + "-" + scenario.clubCode.toLowerCase() + "-2026-03-31";
            assertThat(export.fileName()).isEqualTo(base + ".zip");

            // The zip: one entry, same base name; checksums recorded.
            Path zip = storage.exportsDir().resolve(export.fileName());
            assertThat(zip).isRegularFile();
            ExportWorkbooks.ZipContent content = ExportWorkbooks.unzip(zip);
            assertThat(content.entryNames()).containsExactly(base + ".xlsx");
            assertThat(export.fileChecksum()).isEqualTo(ExportWorkbooks.sha256(zip));
            assertThat(export.workbookChecksum()).isEqualTo(ExportWorkbooks.sha256(content.workbook()))
                .isNotEqualTo(export.fileChecksum());

            try (XSSFWorkbook workbook = ExportWorkbooks.open(content.workbook())) {
                assertMembersSheet(workbook, scenario);
                assertIdentity(workbook, new ExportIdentity(export.id(), scenario.clubId, scenario.clubCode,
                        ExportScenario.AS_OF, LocalDate.of(2025, 3, 31), 12, 15, export.createdAt(),
                        MembersSheet.FORMAT_VERSION));
                assertManifestMatchesWorkbook(export.id(), workbook, eligibleIds);
            }

            // Counters by club and outcome, nothing else in the tags.
            assertThat(count(scenario.clubId, "eligible")).isEqualTo(15);
            assertThat(count(scenario.clubId, Ineligibility.CLIENT.name())).isEqualTo(8);
            assertThat(count(scenario.clubId, Ineligibility.RECENT_VISIT.name())).isEqualTo(1);
            assertThat(count(scenario.clubId, Ineligibility.RECENT_BOOKING.name())).isEqualTo(1);
            assertThat(count(scenario.clubId, Ineligibility.RECENT_INSTALMENT.name())).isEqualTo(1);
            assertThat(count(scenario.clubId, Ineligibility.CREATED_AFTER_CUTOFF.name())).isEqualTo(1);
            assertThat(count(scenario.clubId, Ineligibility.DEBT.name())).isEqualTo(1);
            assertThat(count(scenario.clubId, Ineligibility.OVERPAYMENT.name())).isEqualTo(1);
            assertThat(count(scenario.clubId, Ineligibility.ALREADY_ANONYMISED.name())).isEqualTo(1);
            assertThat(meterRegistry.find(EligibilityProcessor.METRIC).meters())
                .allSatisfy(meter -> assertThat(meter.getId().getTags()).extracting(t -> t.getKey())
                    .containsExactlyInAnyOrder("club", "outcome"));

            // Batch's own counts: every member read, the ineligible ones filtered, the eligible ones written.
            StepExecution manifestStep = step(execution, "exportManifestStep");
            assertThat(manifestStep.getReadCount()).isEqualTo(30);
            assertThat(manifestStep.getFilterCount()).isEqualTo(15);
            assertThat(manifestStep.getWriteCount()).isEqualTo(15);
            assertThat(manifestStep.getCommitCount()).isGreaterThanOrEqualTo(8);
            assertThat(step(execution, "exportWorkbookStep").getWriteCount()).isEqualTo(15);
            assertThat(execution.getExecutionContext().getLong(ExportRecordListener.EXPORT_ID_KEY))
                .isEqualTo(export.id());

            ExportWorkbooks.assertNoTempFiles(storage.root());
        }

        private void assertMembersSheet(XSSFWorkbook workbook, ExportScenario scenario) {
            assertThat(workbook.getSheetName(0)).isEqualTo(MembersSheet.SHEET_NAME);
            assertThat(workbook.getActiveSheetIndex()).isZero();
            Sheet sheet = workbook.getSheet(MembersSheet.SHEET_NAME);
            Row header = sheet.getRow(0);
            for (int column = 0; column < MembersSheet.HEADERS.size(); column++) {
                assertThat(header.getCell(column).getStringCellValue()).isEqualTo(MembersSheet.HEADERS.get(column));
            }
            List<ExportedRow> expected = scenario.expectedRows();
            assertThat(sheet.getLastRowNum()).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                ExportedRow want = expected.get(i);
                Row row = sheet.getRow(i + 1);
                Cell id = row.getCell(MembersSheet.COL_MEMBER_ID);
                assertThat(id.getCellType()).isEqualTo(CellType.NUMERIC);
                assertThat((long) id.getNumericCellValue()).isEqualTo(want.memberId());
                assertText(row, MembersSheet.COL_MEMBER_NUMBER, want.memberNumber());
                assertText(row, MembersSheet.COL_LAST_NAME, want.lastName());
                assertText(row, MembersSheet.COL_FIRST_NAME, want.firstName());
                assertText(row, MembersSheet.COL_STATUS, want.status());
                Cell date = row.getCell(MembersSheet.COL_LAST_ACTIVITY);
                if (want.lastActivity() == null) {
                    assertThat(date == null || date.getCellType() == CellType.BLANK).as("F of %s", want).isTrue();
                }
                else {
                    assertThat(date.getCellType()).isEqualTo(CellType.NUMERIC);
                    assertThat(DateUtil.isCellDateFormatted(date)).isTrue();
                    assertThat(date.getCellStyle().getDataFormatString()).isEqualTo(MembersSheet.DATE_FORMAT);
                    assertThat(date.getLocalDateTimeCellValue().toLocalDate()).isEqualTo(want.lastActivity());
                }
                assertText(row, MembersSheet.COL_LAST_ACTIVITY_KIND, want.lastActivityKind());
                Cell months = row.getCell(MembersSheet.COL_MONTHS_INACTIVE);
                assertThat(months.getCellType()).isEqualTo(CellType.NUMERIC);
                assertThat((int) months.getNumericCellValue()).as("H of %s", want).isEqualTo(want.monthsInactive());
            }
            // Text that looks like a formula stays text, quote-prefixed so that an edit keeps it text.
            List<String> formulaLooking = List.of(ExportScenario.FORMULA_LAST_NAME, ExportScenario.AT_FIRST_NAME,
                    ExportScenario.PLUS_FIRST_NAME, ExportScenario.MINUS_LAST_NAME);
            int found = 0;
            for (Row row : sheet) {
                for (Cell cell : row) {
                    assertThat(cell.getCellType()).isNotEqualTo(CellType.FORMULA);
                    if (cell.getCellType() == CellType.STRING
                            && formulaLooking.contains(cell.getStringCellValue())) {
                        assertThat(cell.getCellStyle().getQuotePrefixed()).isTrue();
                        found++;
                    }
                }
            }
            assertThat(found).isEqualTo(4);
            assertThat(ExportWorkbooks.membersValues(workbook)).flatExtracting(values -> values)
                .doesNotContain(scenario.otherClubMembers.stream().map(Long::doubleValue).toArray());
        }

        private static void assertText(Row row, int column, String expected) {
            Cell cell = row.getCell(column);
            assertThat(cell.getCellType()).as("column %d", column).isEqualTo(CellType.STRING);
            assertThat(cell.getStringCellValue()).isEqualTo(expected);
        }

        private void assertIdentity(XSSFWorkbook workbook, ExportIdentity expected) {
            Map<String, String> custom = ExportWorkbooks.customProperties(workbook);
            assertThat(ExportIdentity.fromProperties(custom)).isEqualTo(expected);
            assertThat(custom).containsAllEntriesOf(expected.toProperties());
            int hidden = workbook.getSheetIndex(MembersSheet.IDENTITY_SHEET_NAME);
            assertThat(hidden).isEqualTo(1);
            assertThat(workbook.getSheetVisibility(hidden)).isEqualTo(SheetVisibility.VERY_HIDDEN);
            assertThat(ExportWorkbooks.identitySheet(workbook)).isEqualTo(expected.toProperties());
            for (Row row : workbook.getSheetAt(hidden)) {
                assertThat(row.getCell(1).getCellType()).isEqualTo(CellType.STRING);
            }
        }

        private void assertManifestMatchesWorkbook(long exportId, XSSFWorkbook workbook, List<Long> eligibleIds) {
            List<ExportedRow> manifest = jdbc.query("select " + ExportManifest.ROW_COLUMNS
                    + " from anonymisation_export_member where export_id = ? order by member_id",
                    ExportManifest.ROW_MAPPER, exportId);
            assertThat(manifest).extracting(ExportedRow::memberId).isEqualTo(eligibleIds);
            List<String> fingerprints = jdbc.queryForList("select fingerprint from anonymisation_export_member"
                    + " where export_id = ? order by member_id", String.class, exportId);
            Sheet sheet = workbook.getSheet(MembersSheet.SHEET_NAME);
            for (int i = 0; i < manifest.size(); i++) {
                ExportedRow fromWorkbook = readRow(sheet.getRow(i + 1));
                assertThat(fromWorkbook).usingRecursiveComparison().isEqualTo(manifest.get(i));
                assertThat(fingerprints.get(i)).hasSize(64).isEqualTo(RowFingerprint.of(exportId, fromWorkbook));
            }
        }

        static ExportedRow readRow(Row row) {
            Cell date = row.getCell(MembersSheet.COL_LAST_ACTIVITY);
            return new ExportedRow((long) row.getCell(MembersSheet.COL_MEMBER_ID).getNumericCellValue(),
                    row.getCell(MembersSheet.COL_MEMBER_NUMBER).getStringCellValue(),
                    row.getCell(MembersSheet.COL_LAST_NAME).getStringCellValue(),
                    row.getCell(MembersSheet.COL_FIRST_NAME).getStringCellValue(),
                    row.getCell(MembersSheet.COL_STATUS).getStringCellValue(),
                    date == null || date.getCellType() == CellType.BLANK ? null
                            : date.getLocalDateTimeCellValue().toLocalDate(),
                    row.getCell(MembersSheet.COL_LAST_ACTIVITY_KIND).getStringCellValue(),
                    (int) row.getCell(MembersSheet.COL_MONTHS_INACTIVE).getNumericCellValue());
        }

        private double count(long clubId, String outcome) {
            var counter = meterRegistry.find(EligibilityProcessor.METRIC)
                .tag("club", Long.toString(clubId))
                .tag("outcome", outcome)
                .counter();
            return counter == null ? 0 : counter.count();
        }

        static StepExecution step(JobExecution execution, String name) {
            return execution.getStepExecutions().stream().filter(s -> s.getStepName().equals(name)).findFirst()
                .orElseThrow();
        }

        @Test
        void aChunkWrittenTwiceNeverDuplicatesManifestRows() throws Exception {
            ExportTestData data = ExportTestData.next(jdbc);
            long club = data.club(1);
            ExportRecord export = records.startOrResume(data.id(999), 0, new ExportParameters(club, 12, "Twice",
                    data.user(1, "ADMIN", false, club), ExportScenario.AS_OF), LocalDateTime.now());
            JdbcBatchItemWriter<ExportedRow> inserts = new ExportManifestStepConfiguration()
                .exportManifestInsertWriter(dataSource, export.id());
            inserts.afterPropertiesSet();
            ManifestWriter writer = new ManifestWriter(export.id(), inserts, new ExportManifest(jdbc), records);
            Chunk<ExportedRow> chunk = Chunk.of(
                    new ExportedRow(data.id(1), "A1", "Doe", "Jane", "PROSPECT", null, "NONE", 40),
                    new ExportedRow(data.id(5), "A5", "=1+1", "Joe", "FORMER_CLIENT", LocalDate.of(2024, 1, 2),
                            "VISIT", 26));
            TransactionTemplate transaction = new TransactionTemplate(transactionManager);

            transaction.executeWithoutResult(tx -> write(writer, chunk));
            transaction.executeWithoutResult(tx -> write(writer, chunk));

            List<ExportedRow> manifest = jdbc.query("select " + ExportManifest.ROW_COLUMNS
                    + " from anonymisation_export_member where export_id = ? order by member_id",
                    ExportManifest.ROW_MAPPER, export.id());
            assertThat(manifest).usingRecursiveFieldByFieldElementComparator().isEqualTo(chunk.getItems());
            assertThat(jdbc.queryForList("select fingerprint from anonymisation_export_member where export_id = ?"
                    + " order by member_id", String.class, export.id()))
                .containsExactly(RowFingerprint.of(export.id(), chunk.getItems().get(0)),
                        RowFingerprint.of(export.id(), chunk.getItems().get(1)));
        }

        private static void write(ManifestWriter writer, Chunk<ExportedRow> chunk) {
            try {
                writer.write(chunk);
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }

        @Test
        void aClubWithoutEligibleMembersGivesAnEmptyWorkbook() throws Exception {
            ExportTestData data = ExportTestData.next(jdbc);
            long club = data.club(1);
            String admin = data.user(1, "ADMIN", false, club);
            data.member(1, club).status("CLIENT").insert();
            data.member(2, club).visit(ExportScenario.CUTOFF.plusDays(10)).insert();
            JobExecution execution = jobOperator.start(exportJob, new JobParametersBuilder().addString("clubId", Long.toString(club))
                .addString("inactivityMonths", "24")
                .addString("exportName", "Nobody to export")
                .addString("requestedBy", admin)
                .addString("asOf", "2026-03-31")
                .toJobParameters());

            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            ExportRecord export = records.findByJobInstance(execution.getJobInstance().getInstanceId()).orElseThrow();
            assertThat(export.membersScanned()).isEqualTo(2);
            assertThat(export.membersEligible()).isZero();
            assertThat(export.rowCount()).isZero();
            assertThat(export.cutoff()).isEqualTo(LocalDate.of(2024, 3, 31));
            try (XSSFWorkbook workbook = ExportWorkbooks.open(
                    ExportWorkbooks.unzip(storage.exportsDir().resolve(export.fileName())).workbook())) {
                assertThat(workbook.getSheet(MembersSheet.SHEET_NAME).getLastRowNum()).isZero();
                assertThat(ExportIdentity.fromProperties(ExportWorkbooks.customProperties(workbook)).rowCount())
                    .isZero();
            }
            ExportWorkbooks.assertNoTempFiles(storage.root());
        }

        @Test
        void withoutAsOfTheFirstExecutionsDateIsRecordedAndKeptByARestart() {
            ExportTestData data = ExportTestData.next(jdbc);
            long club = data.club(1);
            ExportParameters parameters = new ExportParameters(club, 12, "No date given", data.user(1, "ADMIN",
                    false, club), null);
            long instance = data.id(777);
            ExportRecord first = records.startOrResume(instance, 1, parameters,
                    LocalDate.of(2026, 4, 30).atTime(23, 59));
            ExportRecord resumed = records.startOrResume(instance, 2, parameters,
                    LocalDate.of(2026, 5, 1).atTime(0, 5));

            assertThat(first.asOf()).isEqualTo(LocalDate.of(2026, 4, 30));
            assertThat(first.cutoff()).isEqualTo(LocalDate.of(2025, 4, 30));
            assertThat(resumed.id()).isEqualTo(first.id());
            assertThat(resumed.asOf()).isEqualTo(first.asOf());
            assertThat(resumed.cutoff()).isEqualTo(first.cutoff());
            assertThat(resumed.jobExecutionId()).isEqualTo(2);
            assertThat(resumed.createdAt()).isEqualTo(first.createdAt());
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_export where job_instance_id = ?",
                    Long.class, instance)).isOne();
        }

        @Test
        void aLaunchWithoutAsOfUsesTodayAndRecordsIt() throws Exception {
            ExportTestData data = ExportTestData.next(jdbc);
            long club = data.club(1);
            String admin = data.user(1, "ADMIN", false, club);
            data.member(1, club).insert();
            JobExecution execution = jobOperator.start(exportJob, new JobParametersBuilder().addLong("clubId", club)
                .addLong("inactivityMonths", 12L)
                .addString("exportName", "Today")
                .addString("requestedBy", admin)
                .toJobParameters());
            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            ExportRecord export = records.findByJobInstance(execution.getJobInstance().getInstanceId()).orElseThrow();
            assertThat(export.asOf()).isEqualTo(export.createdAt().toLocalDate());
            assertThat(export.fileName()).endsWith("-" + export.asOf() + ".zip");
            assertThat(export.rowCount()).isOne();
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
