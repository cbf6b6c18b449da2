package org.clubanonymiser.importing;

import org.clubanonymiser.testsupport.LibreOffice;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.support.workbook.MembersSheet;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;
import org.clubanonymiser.testsupport.Rows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code importJob} end to end, on H2 and on PostgreSQL: a chunk size of 5 so that every scenario spans several
 * chunks. The export side is {@link ExportFixtures}.
 */
class ImportJobFunctionalTests {

    /** One rejection as the table and the error file show it. */
    record Rejection(long row, Long memberId, String memberNumber, String code) {
    }

    @ExtendWith(OutputCaptureExtension.class)
    @TestPropertySource(properties = { "anonymiser.import.chunk-size=5", "anonymiser.import.completion-slice=5" })
    abstract static class Scenarios {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        StorageLayout storage;

        @Autowired
        JobOperator jobOperator;

        @Autowired
        JobRepository jobRepository;

        @Autowired
        @Qualifier("importJob")
        Job importJob;

        @TempDir
        Path work;

        ExportFixtures fixtures;

        JobOperatorTestUtils launcher;

        @BeforeEach
        void setUp() {
            fixtures = new ExportFixtures(jdbc, storage, work);
            fixtures.clean();
            fixtures.standardClubs();
            launcher = new JobOperatorTestUtils(jobOperator, jobRepository);
            launcher.setJob(importJob);
        }

        @Test
        void anonymisesEveryExportedMemberOfAPoiResavedFile() throws Exception {
            happyPath(export -> fixtures.resaveWithPoi(export.workbook()));
        }

        @Test
        void anonymisesEveryExportedMemberOfALibreOfficeResavedFile() throws Exception {
            LibreOffice.require();
            happyPath(export -> fixtures.resaveWithLibreOffice(export.workbook()));
        }

        @Test
        void readsTheIdentityFromTheVeryHiddenSheetWhenTheDocumentPropertiesAreGone() throws Exception {
            happyPath(export -> fixtures.resaveWithPoi(export.workbook(), workbook -> workbook.getProperties()
                .getCustomProperties().getUnderlyingProperties().setPropertyArray(null)));
        }

        private void happyPath(java.util.function.Function<ExportFixtures.Export, Path> resave) throws Exception {
            List<Long> exported = LongStream.rangeClosed(101, 112).boxed().toList();
            exported.forEach(id -> fixtures.eligibleMember(id, 1));
            List<Long> others = List.of(201L, 202L, 203L, 301L);
            fixtures.member(201, 1, "CLIENT", BigDecimal.ZERO);
            fixtures.member(202, 1, "FORMER_CLIENT", new BigDecimal("-10.00"));
            fixtures.eligibleMember(203, 1);
            fixtures.eligibleMember(301, 2);
            ExportFixtures.Export export = fixtures.export(1, exported);
            Path reviewed = resave.apply(export);
            var othersBefore = MemberTables.of(jdbc, others);
            var retainedBefore = MemberTables.of(jdbc, exported);

            JobExecution execution = importFile(reviewed);

            assertThat(execution.getStatus()).as(execution.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
            assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
            long importId = importId();
            assertAnonymised(exported, importId);
            var retainedAfter = MemberTables.of(jdbc, exported);
            for (String table : MemberTables.RETAINED) {
                assertThat(retainedAfter.get(table)).as(table).hasSize(1 * exported.size())
                    .isEqualTo(retainedBefore.get(table));
            }
            assertThat(MemberTables.of(jdbc, others)).isEqualTo(othersBefore);
            assertThat(Rows.map(jdbc, "select * from anonymisation_import where id = ?", importId))
                .containsEntry("STATUS", "COMPLETED")
                .containsEntry("ROWS_READ", 12L)
                .containsEntry("MEMBERS_ANONYMISED", 12L)
                .containsEntry("ROWS_REJECTED", 0L)
                .containsEntry("EXPORT_ID", export.id())
                .containsEntry("CLUB_ID", 1L)
                .containsEntry("ERROR_FILE", null)
                .containsEntry("FAILURE_CODE", null);
            StepExecution step = step(execution, "importAnonymiseStep");
            assertThat(step.getReadCount()).isEqualTo(12);
            assertThat(step.getWriteCount()).isEqualTo(12);
            assertThat(step.getSkipCount()).isZero();
            assertExportPurged(export, 12);
            // 12 manifest rows and 12 claims erased 5 at a time: manifest 5, 5, 2 + claims 5 | 5 | 2 + completion.
            assertThat(step(execution, "importCompletionStep").getCommitCount()).isEqualTo(5);
            assertThat(storage.errorsDir().resolve(ErrorFileTasklet.fileName(importId))).doesNotExist();
        }

        @Test
        void rejectsEditedRowsAndAnonymisesOnlyTheOthers() throws Exception {
            List<Long> exported = LongStream.rangeClosed(101, 115).boxed().toList();
            exported.forEach(id -> fixtures.eligibleMember(id, 1));
            fixtures.eligibleMember(203, 1);
            fixtures.eligibleMember(301, 2);
            ExportFixtures.Export export = fixtures.export(1, exported);
            Path reviewed = withRejectedRows(export);
            var untouched = List.of(102L, 103L, 104L, 105L, 106L, 108L, 203L, 301L);
            var untouchedBefore = MemberTables.of(jdbc, untouched);

            JobExecution execution = importFile(reviewed);

            assertThat(execution.getStatus()).as(execution.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
            assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED_WITH_ERRORS");
            List<Rejection> expected = WITH_REJECTED_ROWS;
            assertThat(rejections()).containsExactlyElementsOf(expected);
            assertThat(errorFile()).containsExactlyElementsOf(expected);
            List<Long> anonymised = List.of(101L, 107L, 109L, 110L, 111L, 112L, 113L, 114L, 115L);
            long importId = importId();
            assertAnonymised(anonymised, importId);
            assertThat(MemberTables.of(jdbc, untouched)).isEqualTo(untouchedBefore);
            assertThat(MemberTables.count(jdbc, "anonymisation_ledger")).isEqualTo(anonymised.size());
            assertThat(Rows.map(jdbc, "select * from anonymisation_import where id = ?", importId))
                .containsEntry("STATUS", "COMPLETED_WITH_ERRORS")
                .containsEntry("ROWS_READ", 18L)
                .containsEntry("MEMBERS_ANONYMISED", 9L)
                .containsEntry("ROWS_REJECTED", 9L)
                .containsEntry("ERROR_FILE", ErrorFileTasklet.fileName(importId));
            StepExecution step = step(execution, "importAnonymiseStep");
            assertThat(step.getReadCount()).isEqualTo(18);
            assertThat(step.getWriteCount()).isEqualTo(9);
            assertThat(step.getProcessSkipCount()).isEqualTo(9);
        }

        /** The rejections of {@link #withRejectedRows}, in row order. */
        static final List<Rejection> WITH_REJECTED_ROWS = List.of(new Rejection(3, 104L, "M104", "CONTENT_MODIFIED"),
                new Rejection(4, 105L, "M106", "ID_NUMBER_MISMATCH"),
                new Rejection(5, 106L, "M105", "ID_NUMBER_MISMATCH"),
                new Rejection(7, null, "M108", "MISSING_ID"),
                new Rejection(10, 110L, "M110", "DUPLICATE_ROW"),
                new Rejection(16, 107L, "M107", "DUPLICATE_ROW"),
                new Rejection(17, 999999L, "M999999", "UNKNOWN_MEMBER"),
                new Rejection(18, 203L, "M203", "NOT_IN_EXPORT"),
                new Rejection(19, 301L, "M301", "OTHER_CLUB"));

        /**
         * The export of members 101..115 of club 1 (plus 203 of club 1 and 301 of club 2 not exported), re-saved
         * with one edit per rejection code of {@link #WITH_REJECTED_ROWS}.
         */
        Path withRejectedRows(ExportFixtures.Export export) throws Exception {
            return fixtures.resaveWithPoi(export.workbook(), MembersSheetEditor.edit(sheet -> {
                Object[] notExported = sheet.row(101).clone();
                notExported[0] = 203.0;
                notExported[1] = "M203";
                Object[] otherClub = sheet.row(101).clone();
                otherClub[0] = 301.0;
                otherClub[1] = "M301";
                sheet.delete(102).delete(103)
                    .set(104, MembersSheet.COL_LAST_NAME, "Someone else")
                    .set(105, MembersSheet.COL_MEMBER_NUMBER, "M106")
                    .set(106, MembersSheet.COL_MEMBER_NUMBER, "M105")
                    .set(108, MembersSheet.COL_MEMBER_ID, null)
                    .set(109, MembersSheet.COL_MEMBER_ID, "109")
                    .duplicateBelow(110)
                    .set(111, MembersSheet.COL_MONTHS_INACTIVE, String.valueOf(sheet.row(111)[7]).replace(".0", ""))
                    .set(112, MembersSheet.COL_LAST_ACTIVITY, sheet.row(112)[5].toString())
                    .appendCopyOf(107)
                    .append(999999.0, "M999999", "Nobody", "Nobody", "PROSPECT", null, "NONE", 80.0)
                    .append(notExported)
                    .append(otherClub)
                    .appendEmpty(true)
                    .appendEmpty(false)
                    .appendEmpty(true);
            }));
        }

        @Test
        void aDryRunCountsAndListsLikeAnImportButChangesNothing() throws Exception {
            List<Long> exported = LongStream.rangeClosed(101, 115).boxed().toList();
            exported.forEach(id -> fixtures.eligibleMember(id, 1));
            fixtures.eligibleMember(203, 1);
            fixtures.eligibleMember(301, 2);
            ExportFixtures.Export export = fixtures.export(1, exported);
            Path reviewed = withRejectedRows(export);
            // came back after the export: only the eligibility re-check of the write phase can reject it
            jdbc.update("insert into visit (id, member_id, club_id, visited_at) values (9113, 113, 1, ?)",
                    Timestamp.valueOf(LocalDateTime.now().minusHours(1)));
            List<Rejection> expected = new ArrayList<>(WITH_REJECTED_ROWS);
            expected.add(5, new Rejection(13, 113L, "M113", "NO_LONGER_ELIGIBLE"));
            List<Long> anonymisable = List.of(101L, 107L, 109L, 110L, 111L, 112L, 114L, 115L);
            var membersBefore = MemberTables.all(jdbc);
            var exportBefore = Rows.map(jdbc, "select * from anonymisation_export where id = ?", export.id());
            var manifestBefore = jdbc.queryForList(
                    "select * from anonymisation_export_member where export_id = ? order by member_id", export.id());

            JobExecution dryRun = launcher.startJob(ImportJobParameters.of(reviewed, ExportFixtures.ADMIN, true));

            assertThat(dryRun.getStatus()).as(dryRun.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
            assertThat(dryRun.getExitStatus().getExitCode()).isEqualTo("COMPLETED_WITH_ERRORS");
            long dryRunId = importId();
            assertThat(rejections()).containsExactlyElementsOf(expected);
            assertThat(errorFile()).containsExactlyElementsOf(expected);
            assertThat(Rows.map(jdbc, "select * from anonymisation_import where id = ?", dryRunId))
                .containsEntry("DRY_RUN", true)
                .containsEntry("STATUS", "COMPLETED_WITH_ERRORS")
                .containsEntry("ROWS_READ", 18L)
                .containsEntry("MEMBERS_ANONYMISED", (long) anonymisable.size())
                .containsEntry("ROWS_REJECTED", (long) expected.size())
                .containsEntry("ERROR_FILE", ErrorFileTasklet.fileName(dryRunId));
            assertThat(MemberTables.all(jdbc)).isEqualTo(membersBefore);
            assertThat(export.zip()).exists();
            assertThat(Rows.map(jdbc, "select * from anonymisation_export where id = ?", export.id()))
                .isEqualTo(exportBefore);
            assertThat(jdbc.queryForList(
                    "select * from anonymisation_export_member where export_id = ? order by member_id", export.id()))
                .isEqualTo(manifestBefore);

            JobExecution real = importFile(reviewed);

            assertThat(real.getExitStatus().getExitCode()).as(real.getExitStatus().getExitDescription())
                .isEqualTo("COMPLETED_WITH_ERRORS");
            long importId = importId();
            assertThat(importId).isNotEqualTo(dryRunId);
            assertThat(rejections()).containsExactlyElementsOf(expected);
            assertThat(errorFile()).containsExactlyElementsOf(expected);
            assertAnonymised(anonymisable, importId);
            assertThat(MemberTables.count(jdbc, "anonymisation_ledger")).isEqualTo(anonymisable.size());
            assertThat(Rows.map(jdbc, "select * from anonymisation_import where id = ?", importId))
                .containsEntry("DRY_RUN", false)
                .containsEntry("MEMBERS_ANONYMISED", (long) anonymisable.size());
            // The rows rejected for a correctable reason stay open: 104 edited, 105 and 106 swapped numbers, 108
            // without id (found by its number). The others are resolved: anonymised, 113 no longer eligible, 102 and
            // 103 deleted from the file (kept).
            assertThat(resolutions(export)).containsExactly(entry(101, "ANONYMISED"), entry(102, "KEPT"),
                    entry(103, "KEPT"), entry(104, "REJECTED"), entry(105, "REJECTED"), entry(106, "REJECTED"),
                    entry(107, "ANONYMISED"), entry(108, "REJECTED"), entry(109, "ANONYMISED"),
                    entry(110, "ANONYMISED"), entry(111, "ANONYMISED"), entry(112, "ANONYMISED"),
                    entry(113, "INELIGIBLE"), entry(114, "ANONYMISED"), entry(115, "ANONYMISED"));
            assertExportOpen(export, List.of(104L, 105L, 106L, 108L));
        }

        @Test
        void keepsMembersWhoCameBackSinceTheExport() throws Exception {
            List<Long> exported = LongStream.rangeClosed(101, 106).boxed().toList();
            exported.forEach(id -> fixtures.eligibleMember(id, 1));
            ExportFixtures.Export export = fixtures.export(1, exported);
            jdbc.update("insert into visit (id, member_id, club_id, visited_at) values (9001, 102, 1, ?)",
                    Timestamp.valueOf(LocalDateTime.now().minusHours(1)));
            jdbc.update("update member_account set balance = -25.00 where member_id = 103");
            jdbc.update("update member set status = 'CLIENT' where id = 104");
            Path reviewed = fixtures.resaveWithPoi(export.workbook());
            var cameBack = List.of(102L, 103L, 104L);
            var cameBackBefore = MemberTables.of(jdbc, cameBack);

            JobExecution execution = importFile(reviewed);

            assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED_WITH_ERRORS");
            assertThat(rejections()).containsExactly(new Rejection(3, 102L, "M102", "NO_LONGER_ELIGIBLE"),
                    new Rejection(4, 103L, "M103", "NO_LONGER_ELIGIBLE"),
                    new Rejection(5, 104L, "M104", "NO_LONGER_ELIGIBLE"));
            assertThat(jdbc.queryForList(
                    "select message from anonymisation_import_rejection order by row_number", String.class))
                .containsExactly(RowValidator.noLongerEligible(org.clubanonymiser.eligibility.Ineligibility.RECENT_VISIT),
                        RowValidator.noLongerEligible(org.clubanonymiser.eligibility.Ineligibility.DEBT),
                        RowValidator.noLongerEligible(org.clubanonymiser.eligibility.Ineligibility.CLIENT));
            assertThat(MemberTables.of(jdbc, cameBack)).isEqualTo(cameBackBefore);
            assertAnonymised(List.of(101L, 105L, 106L), importId());
        }

        @Test
        void aSecondImportOfAnonymisedMembersChangesNothing() throws Exception {
            List<Long> first = LongStream.rangeClosed(101, 105).boxed().toList();
            first.forEach(id -> fixtures.eligibleMember(id, 1));
            fixtures.eligibleMember(106, 1);
            ExportFixtures.Export exportA = fixtures.export(1, first);
            assertThat(importFile(fixtures.resaveWithPoi(exportA.workbook())).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);
            long firstImport = importId();
            List<Long> second = LongStream.rangeClosed(101, 106).boxed().toList();
            ExportFixtures.Export exportB = fixtures.export(1, second);
            var anonymisedBefore = MemberTables.of(jdbc, first);

            JobExecution execution = importFile(fixtures.resaveWithPoi(exportB.workbook()));

            // Reported, not rejected: the import completes without errors and lists nothing to correct.
            assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
            assertThat(jdbc.queryForList("select code from anonymisation_import_rejection order by row_number",
                    String.class)).containsExactly("ALREADY_ANONYMISED", "ALREADY_ANONYMISED", "ALREADY_ANONYMISED",
                            "ALREADY_ANONYMISED", "ALREADY_ANONYMISED");
            assertCounts(importId(), "COMPLETED", 6, 1, 5, 0);
            assertThat(jdbc.queryForObject("select error_file from anonymisation_import where id = ?", String.class,
                    importId())).isNull();
            assertThat(step(execution, "importAnonymiseStep").getSkipCount()).isZero();
            assertThat(MemberTables.of(jdbc, first)).isEqualTo(anonymisedBefore);
            assertThat(jdbc.queryForList("select import_id from anonymisation_ledger where member_id <= 105",
                    Long.class)).hasSize(5).containsOnly(firstImport);
            assertThat(MemberTables.count(jdbc, "anonymisation_ledger")).isEqualTo(6);
        }

        /** Members 101..112 of club 1, exported; the rows of 103, 107 and 111 edited (one column each). */
        static final List<Long> CORRECTED = List.of(103L, 107L, 111L);

        static final List<Long> EXPORTED = LongStream.rangeClosed(101, 112).boxed().toList();

        /** The export of {@link #EXPORTED} and its first import, with the {@link #CORRECTED} rows edited. */
        ExportFixtures.Export importedWithThreeEditedRows() throws Exception {
            EXPORTED.forEach(id -> fixtures.eligibleMember(id, 1));
            ExportFixtures.Export export = fixtures.export(1, EXPORTED);
            Path edited = fixtures.resaveWithPoi(export.workbook(), MembersSheetEditor.edit(sheet -> sheet
                .set(103, MembersSheet.COL_LAST_NAME, "Edited")
                .set(107, MembersSheet.COL_FIRST_NAME, "Edited")
                .set(111, MembersSheet.COL_MONTHS_INACTIVE, 1.0)));

            JobExecution first = importFile(edited);

            assertThat(first.getExitStatus().getExitCode()).as(first.getExitStatus().getExitDescription())
                .isEqualTo("COMPLETED_WITH_ERRORS");
            List<Rejection> rejected = List.of(new Rejection(4, 103L, "M103", "CONTENT_MODIFIED"),
                    new Rejection(8, 107L, "M107", "CONTENT_MODIFIED"),
                    new Rejection(12, 111L, "M111", "CONTENT_MODIFIED"));
            assertThat(rejections()).containsExactlyElementsOf(rejected);
            assertThat(errorFile()).containsExactlyElementsOf(rejected);
            assertAnonymised(notCorrected(), importId());
            assertCounts(importId(), "COMPLETED_WITH_ERRORS", 12, 9, 0, 3);
            assertExportOpen(export, CORRECTED);
            return export;
        }

        static List<Long> notCorrected() {
            return EXPORTED.stream().filter(id -> !CORRECTED.contains(id)).toList();
        }

        /**
         * Issue 13's loop: import with three edited rows, restore them (the original file re-saved), import again:
         * those three anonymised, the others reported ALREADY_ANONYMISED (counted apart, not rejected: the import
         * is COMPLETED and has no error file), each member once in the ledger, the manifest erased and the file
         * deleted once every row is resolved; a third import, even of the very same bytes, is refused.
         */
        @Test
        void aCorrectedFileImportedAgainAnonymisesTheRestoredRowsAndResolvesTheExport() throws Exception {
            ExportFixtures.Export export = importedWithThreeEditedRows();
            long firstImport = importId();
            Path restored = fixtures.resaveWithPoi(export.workbook());

            JobExecution second = importFile(restored);

            assertThat(second.getStatus()).as(second.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
            assertThat(second.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
            long secondImport = importId();
            assertThat(secondImport).isNotEqualTo(firstImport);
            assertAnonymised(CORRECTED, secondImport);
            assertCounts(secondImport, "COMPLETED", 12, 3, 9, 0);
            assertThat(jdbc.queryForList("select member_id from anonymisation_import_rejection where import_id = ?"
                    + " and code = 'ALREADY_ANONYMISED' order by member_id", Long.class, secondImport))
                .containsExactlyElementsOf(notCorrected());
            assertThat(rejections()).extracting(Rejection::code).containsOnly("ALREADY_ANONYMISED");
            assertThat(storage.errorsDir().resolve(ErrorFileTasklet.fileName(secondImport))).doesNotExist();
            assertThat(step(second, "importAnonymiseStep").getSkipCount()).isZero();
            assertThat(jdbc.queryForList("select member_id from anonymisation_ledger order by member_id",
                    Long.class)).containsExactlyElementsOf(EXPORTED);
            assertThat(jdbc.queryForList("select member_id from anonymisation_ledger where import_id = ?"
                    + " order by member_id", Long.class, firstImport)).containsExactlyElementsOf(notCorrected());
            assertExportPurged(export, EXPORTED.size());
            assertThat(resolutions(export).values()).containsOnly("ANONYMISED");
            var everything = MemberTables.all(jdbc);

            // The same bytes once more: Spring Batch's instance of that import is complete...
            JobParameters sameBytes = ImportJobParameters.of(restored, ExportFixtures.ADMIN);
            assertThatThrownBy(() -> launcher.startJob(sameBytes))
                .isInstanceOf(org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException.class);
            // ... so the launchers ask for the next attempt, a new instance, which the gate refuses: all resolved.
            JobParameters third = ImportJobParameters.nextAttempt(jobRepository, sameBytes);
            assertThat(third.getString(ImportJobParameters.ATTEMPT)).isEqualTo("2");
            JobExecution refused = launcher.startJob(third);

            assertThat(refused.getExitStatus().getExitCode()).isEqualTo("REFUSED:EXPORT_ALREADY_IMPORTED");
            assertThat(MemberTables.all(jdbc)).isEqualTo(everything);
            assertThat(MemberTables.count(jdbc, "anonymisation_ledger")).isEqualTo(EXPORTED.size());
        }

        /**
         * While a row is open the export stays importable, also with the same edited file again (the same rows
         * rejected as before, the others reported); a file without the open rows keeps those members and resolves
         * the export: only then is it refused as already imported.
         */
        @Test
        void anExportIsAlreadyImportedOnlyOnceEveryRowIsResolved() throws Exception {
            ExportFixtures.Export export = importedWithThreeEditedRows();
            long firstImport = importId();
            Path edited = Path.of(jdbc.queryForObject("select file_name from anonymisation_import where id = ?",
                    String.class, firstImport));
            JobParameters again = ImportJobParameters.nextAttempt(jobRepository,
                    ImportJobParameters.of(work.resolve(edited), ExportFixtures.ADMIN));

            JobExecution sameFile = launcher.startJob(again);

            assertThat(sameFile.getExitStatus().getExitCode()).as(sameFile.getExitStatus().getExitDescription())
                .isEqualTo("COMPLETED_WITH_ERRORS");
            assertThat(errorFile()).extracting(Rejection::memberId).containsExactlyElementsOf(CORRECTED);
            assertCounts(importId(), "COMPLETED_WITH_ERRORS", 12, 0, 9, 3);
            assertExportOpen(export, CORRECTED);

            var correctedBefore = MemberTables.of(jdbc, CORRECTED);
            Path withoutThem = fixtures.resaveWithPoi(export.workbook(), MembersSheetEditor.edit(sheet -> sheet
                .delete(103).delete(107).delete(111)));
            JobExecution keeping = importFile(withoutThem);

            assertThat(keeping.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
            assertThat(MemberTables.of(jdbc, CORRECTED)).isEqualTo(correctedBefore);
            assertExportPurged(export, EXPORTED.size());
            assertThat(resolutions(export)).containsEntry(103L, "KEPT").containsEntry(107L, "KEPT")
                .containsEntry(111L, "KEPT").containsEntry(101L, "ANONYMISED");

            JobExecution refused = importFile(fixtures.resaveWithPoi(export.workbook()));

            assertThat(refused.getExitStatus().getExitCode()).isEqualTo("REFUSED:EXPORT_ALREADY_IMPORTED");
            assertThat(MemberTables.of(jdbc, CORRECTED)).isEqualTo(correctedBefore);
        }

        /** A dry run of the corrected file resolves nothing: the export stays open, the real import then runs. */
        @Test
        void aDryRunOfTheCorrectedFileDoesNotCountAsAnImport() throws Exception {
            ExportFixtures.Export export = importedWithThreeEditedRows();
            Path restored = fixtures.resaveWithPoi(export.workbook());
            var before = MemberTables.all(jdbc);

            JobExecution dryRun = launcher.startJob(ImportJobParameters.of(restored, ExportFixtures.ADMIN, true));

            assertThat(dryRun.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
            assertCounts(importId(), "COMPLETED", 12, 3, 9, 0);
            assertThat(jdbc.queryForObject("select dry_run from anonymisation_import where id = ?", Boolean.class,
                    importId())).isTrue();
            assertThat(MemberTables.all(jdbc)).isEqualTo(before);
            assertExportOpen(export, CORRECTED);

            JobExecution real = importFile(restored);

            assertThat(real.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
            assertAnonymised(CORRECTED, importId());
            assertExportPurged(export, EXPORTED.size());
        }

        /** Members 101 to 120 exported, in spreadsheet rows 2 to 21 of the reviewed file; returns its parameters. */
        JobParameters failingInChunk3() throws Exception {
            RESTART_EXPORTED.forEach(id -> fixtures.eligibleMember(id, 1));
            ExportFixtures.Export export = fixtures.export(1, RESTART_EXPORTED);
            Path reviewed = fixtures.resaveWithPoi(export.workbook(), MembersSheetEditor.edit(sheet -> sheet
                .set(104, MembersSheet.COL_LAST_NAME, "Edited")
                .replaceBy(114, 102)
                .set(119, MembersSheet.COL_MEMBER_NUMBER, null)));
            // An infrastructure failure in chunk 3 (rows 12 to 16): member 112's ledger insert hits a stray row.
            jdbc.update("""
                    insert into anonymisation_ledger (member_id, club_id, import_id, anonymised_at, requested_by)
                    values (112, 1, 0, current_timestamp, 'stray')""");
            return ImportJobParameters.of(reviewed, ExportFixtures.ADMIN);
        }

        static final List<Long> RESTART_EXPORTED = LongStream.rangeClosed(101, 120).boxed().toList();

        /** What the restart of {@link #failingInChunk3()} must end with, whatever the interruption. */
        void assertRestartedAsUninterrupted(JobExecution failed, JobExecution restarted, long importId)
                throws Exception {
            assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
            assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(restarted.getExitStatus().getExitCode()).isEqualTo("COMPLETED_WITH_ERRORS");
            List<Rejection> expected = List.of(new Rejection(5, 104L, "M104", "CONTENT_MODIFIED"),
                    new Rejection(15, 102L, "M102", "DUPLICATE_ROW"), new Rejection(20, 119L, null, "MISSING_ID"));
            assertThat(rejections()).containsExactlyElementsOf(expected);
            assertThat(errorFile()).containsExactlyElementsOf(expected);
            List<Long> anonymised = RESTART_EXPORTED.stream().filter(id -> id != 104 && id != 114 && id != 119)
                .toList();
            assertThat(jdbc.queryForList("select member_id from anonymisation_ledger order by member_id", Long.class))
                .containsExactlyElementsOf(anonymised);
            assertAnonymised(anonymised, importId);
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_import", Long.class)).isOne();
            assertThat(Rows.map(jdbc, "select * from anonymisation_import where id = ?", importId))
                .containsEntry("STATUS", "COMPLETED_WITH_ERRORS")
                .containsEntry("FAILURE_CODE", null)
                .containsEntry("ROWS_READ", 20L)
                .containsEntry("MEMBERS_ANONYMISED", 17L)
                .containsEntry("ROWS_REJECTED", 3L)
                .containsEntry("ROWS_ALREADY_ANONYMISED", 0L)
                .containsEntry("LAST_COMMITTED_ROW", 21L);
        }

        @Test
        void restartsAFailedImportAfterItsLastCommittedChunk() throws Exception {
            JobParameters parameters = failingInChunk3();

            JobExecution failed = launcher.startJob(parameters);

            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            long importId = importId();
            assertThat(Rows.map(jdbc, "select * from anonymisation_import where id = ?", importId))
                .containsEntry("STATUS", "FAILED")
                .containsEntry("FAILURE_CODE", "ERROR")
                .containsEntry("ROWS_READ", 10L)
                .containsEntry("MEMBERS_ANONYMISED", 9L)
                .containsEntry("ROWS_REJECTED", 1L)
                .containsEntry("LAST_COMMITTED_ROW", 11L);
            assertThat(MemberTables.count(jdbc, "anonymisation_ledger")).isEqualTo(10);
            assertThat(rejections()).containsExactly(new Rejection(5, 104L, "M104", "CONTENT_MODIFIED"));

            jdbc.update("delete from anonymisation_ledger where import_id = 0");
            JobExecution restarted = launcher.startJob(parameters);

            assertThat(step(restarted, "importAnonymiseStep").getReadCount()).isEqualTo(10);
            assertRestartedAsUninterrupted(failed, restarted, importId);
        }

        /**
         * The restart position comes from the product database. With two databases (Data Flow), the job repository's
         * step execution context and the chunk's own writes commit in two transactions, so a crash between them
         * leaves the context a chunk ahead of the rows really anonymised or rejected (resuming from it would leave
         * that chunk's rows neither, and {@code rows_read} short) or, were the commits ordered the other way, a chunk
         * behind (its rows processed twice). Simulated by moving the failed step's saved context a chunk ahead (rows
         * 12 to 16 "read") or behind (only rows 2 to 6); the crash harness of the application module kills real
         * processes between the two commits. The restart resumes at row 12 and says why.
         */
        @ParameterizedTest
        @ValueSource(strings = { "ahead", "behind" })
        void aStepExecutionContextOutOfStepWithTheProductDatabaseResumesFromTheProductDatabase(String where,
                CapturedOutput output) throws Exception {
            JobParameters parameters = failingInChunk3();
            JobExecution failed = launcher.startJob(parameters);
            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            long importId = importId();
            StepExecution saved = jobRepository.getLastStepExecution(failed.getJobInstance(),
                    ImportFileGateTasklet.ANONYMISE_STEP);
            assertThat(saved.getExecutionContext().getInt("importRowReader.read.count")).isEqualTo(10);
            assertThat(saved.getExecutionContext().get("importRowReader.last.row")).hasToString("11");
            int contextRows = where.equals("ahead") ? 15 : 5;
            saved.getExecutionContext().putInt("importRowReader.read.count", contextRows);
            saved.getExecutionContext().putLong("importRowReader.last.row", contextRows + 1);
            jobRepository.updateExecutionContext(saved);

            jdbc.update("delete from anonymisation_ledger where import_id = 0");
            JobExecution restarted = launcher.startJob(parameters);

            assertRestartedAsUninterrupted(failed, restarted, importId);
            assertThat(output).contains("Import " + importId + ": the job repository's step execution context resumes"
                    + " after " + contextRows + " rows (row " + (contextRows + 1) + "), the product database after 10"
                    + " rows (row 11)");
        }

        /** A job that failed after its import completed (say, on its last metadata update) just finishes. */
        @Test
        void aRestartAfterTheImportCompletedOnlyFinishesTheJob() throws Exception {
            CompletedImport imported = completedImportOfTwoMembers();
            JobParameters parameters = imported.parameters();
            JobExecution completed = imported.execution();
            jdbc.update("update batch_job_execution set status = 'FAILED', exit_code = 'FAILED'"
                    + " where job_execution_id = ?", completed.getId());
            var before = MemberTables.all(jdbc);

            JobExecution restarted = launcher.startJob(parameters);

            assertThat(restarted.getId()).isNotEqualTo(completed.getId());
            assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(jdbc.queryForList("select status from anonymisation_import", String.class))
                .containsExactly("COMPLETED");
            assertThat(MemberTables.all(jdbc)).isEqualTo(before);
        }

        /**
         * A crash after the completion step resolved the export (file deleted, {@code resolved_at} set) but before it
         * completed the import record: the restart finishes the import, instead of refusing it for the state its own
         * completion left (already imported, file deleted).
         */
        @Test
        void aRestartAfterTheCompletionResolvedTheExportFinishesTheImport() throws Exception {
            CompletedImport imported = completedImportOfTwoMembers();
            JobParameters parameters = imported.parameters();
            JobExecution crashed = imported.execution();
            long importId = importId();
            jdbc.update("update anonymisation_import set status = 'RUNNING', completed_at = null where id = ?",
                    importId);
            jdbc.update("update batch_step_execution set status = 'FAILED', exit_code = 'FAILED'"
                    + " where job_execution_id = ? and step_name = 'importCompletionStep'", crashed.getId());
            jdbc.update("update batch_job_execution set status = 'FAILED', exit_code = 'FAILED'"
                    + " where job_execution_id = ?", crashed.getId());
            var before = MemberTables.all(jdbc);

            JobExecution restarted = launcher.startJob(parameters);

            assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(crashed.getJobInstance().getInstanceId());
            assertThat(restarted.getExitStatus().getExitCode()).as(restarted.getExitStatus().getExitDescription())
                .isEqualTo("COMPLETED");
            assertThat(Rows.map(jdbc, "select status, failure_code from anonymisation_import where id = ?",
                    importId)).containsEntry("STATUS", "COMPLETED").containsEntry("FAILURE_CODE", null);
            assertThat(MemberTables.all(jdbc)).isEqualTo(before);
            assertExportPurged(imported.export(), 2);
        }

        /** An import that completed, with what launched it. */
        record CompletedImport(ExportFixtures.Export export, JobParameters parameters, JobExecution execution) {
        }

        /** Members 101 and 102 exported and imported (a POI re-save, nothing rejected). */
        CompletedImport completedImportOfTwoMembers() throws Exception {
            List<Long> exported = List.of(101L, 102L);
            exported.forEach(id -> fixtures.eligibleMember(id, 1));
            ExportFixtures.Export export = fixtures.export(1, exported);
            JobParameters parameters = ImportJobParameters.of(fixtures.resaveWithPoi(export.workbook()),
                    ExportFixtures.ADMIN);
            return new CompletedImport(export, parameters, launcher.startJob(parameters));
        }

        /** An import accepted for this export, as the gate leaves it, and the writer of its chunks. */
        AnonymisingWriter writerFor(ExportFixtures.Export export) {
            ImportRecords records = new ImportRecords(jdbc, java.time.Clock.systemDefaultZone());
            long importId = records.startOrResume(System.nanoTime(), 1, "test.xlsx", "0".repeat(64),
                    ExportFixtures.ADMIN);
            records.attachExport(importId, export.id(), export.clubId());
            ImportContext context = records.context(importId);
            return new AnonymisingWriter(new org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate(jdbc),
                    context, new JdbcRowFacts(jdbc, importId, export.id()),
                    new org.clubanonymiser.eligibility.EligibilityRules(), new Rejections(jdbc, records), records,
                    java.time.Clock.systemDefaultZone());
        }

        /** What changed between validation and writing is caught by the writer's own UPDATE, without an exception. */
        @Test
        void theWriterKeepsMembersWhoChangedAfterValidation() {
            List<Long> exported = List.of(101L, 102L, 103L, 104L);
            exported.forEach(id -> fixtures.eligibleMember(id, 1));
            ExportFixtures.Export export = fixtures.export(1, exported);
            AnonymisingWriter writer = writerFor(export);
            jdbc.update("insert into visit (id, member_id, club_id, visited_at) values (9001, 102, 1, current_timestamp)");
            jdbc.update("update member_account set balance = 5.00 where member_id = 103");
            jdbc.update("update member set status = 'ANONYMISED', anonymised_at = current_timestamp where id = 104");
            var keptBefore = MemberTables.of(jdbc, List.of(102L, 103L, 104L));

            new TransactionTemplate(transactionManager).executeWithoutResult(status -> writer.write(
                    new Chunk<>(new ValidatedRow(2, 101, "M101"), new ValidatedRow(3, 102, "M102"),
                            new ValidatedRow(4, 103, "M103"), new ValidatedRow(5, 104, "M104"))));

            long importId = importId();
            assertAnonymised(List.of(101L), importId);
            assertThat(MemberTables.of(jdbc, List.of(102L, 103L, 104L))).isEqualTo(keptBefore);
            assertThat(jdbc.queryForList("""
                    select code || ' ' || message from anonymisation_import_rejection
                    where import_id = ? order by row_number""", String.class, importId)).containsExactly(
                    "NO_LONGER_ELIGIBLE " + RowValidator.noLongerEligible(
                            org.clubanonymiser.eligibility.Ineligibility.RECENT_VISIT),
                    "NO_LONGER_ELIGIBLE " + RowValidator.noLongerEligible(
                            org.clubanonymiser.eligibility.Ineligibility.OVERPAYMENT),
                    "ALREADY_ANONYMISED " + RowRejection.ALREADY_ANONYMISED.message());
            // Anonymised since validation (by a concurrent import, say): reported, not rejected.
            assertThat(Rows.map(jdbc, "select * from anonymisation_import where id = ?", importId))
                .containsEntry("ROWS_READ", 4L)
                .containsEntry("MEMBERS_ANONYMISED", 1L)
                .containsEntry("ROWS_REJECTED", 2L)
                .containsEntry("ROWS_ALREADY_ANONYMISED", 1L);
        }

        @Autowired
        org.springframework.transaction.PlatformTransactionManager transactionManager;

        @Autowired
        javax.sql.DataSource dataSource;

        /** A file the gate must refuse, launched by a user. */
        record Refused(String name, Path file, String user, ImportRefusal expected) {
        }

        @Test
        void refusesBadFilesBeforeTouchingAnyMember() throws Exception {
            List<Long> exported = LongStream.rangeClosed(101, 106).boxed().toList();
            exported.forEach(id -> fixtures.eligibleMember(id, 1));
            fixtures.user(5, "staff", "STAFF", false, 1);
            fixtures.user(6, "admin2", "ADMIN", false, 2);
            ExportFixtures.Export export = fixtures.export(1, exported);
            Path good = fixtures.resaveWithPoi(export.workbook());
            ExportFixtures.Export running = fixtures.export(1, exported);
            jdbc.update("update anonymisation_export set status = 'RUNNING' where id = ?", running.id());
            ExportFixtures.Export old = fixtures.export(1, exported, LocalDateTime.now().minusDays(31), false);
            ExportFixtures.Export deleted = fixtures.export(1, exported);
            jdbc.update("update anonymisation_export set status = 'DELETED', file_deleted_at = current_timestamp"
                    + " where id = ?", deleted.id());
            BadFiles bad = new BadFiles(work);
            String admin = ExportFixtures.ADMIN;
            Path noIdentity = fixtures.resaveWithPoi(export.workbook(), workbook -> {
                workbook.getProperties().getCustomProperties().getUnderlyingProperties().setPropertyArray(null);
                workbook.removeSheetAt(1);
            });
            Path renamedHeader = fixtures.resaveWithPoi(export.workbook(), workbook -> workbook.getSheetAt(0)
                .getRow(0).getCell(2).setCellValue("Surname"));
            List<Refused> cases = List.of(
                    new Refused("CSV renamed .xlsx", bad.csvRenamed(), admin, ImportRefusal.NOT_XLSX),
                    new Refused("wrong extension", bad.withExtension(good, "csv"), admin, ImportRefusal.NOT_XLSX),
                    new Refused("XLS renamed .xlsx", bad.xls(), admin, ImportRefusal.NOT_XLSX),
                    new Refused("ODS renamed .xlsx", bad.ods(), admin, ImportRefusal.NOT_XLSX),
                    new Refused("password-protected", bad.encrypted(good), admin, ImportRefusal.NOT_XLSX),
                    new Refused("empty file", bad.empty(), admin, ImportRefusal.NOT_XLSX),
                    new Refused("truncated zip", bad.truncated(good), admin, ImportRefusal.NOT_XLSX),
                    new Refused("zip bomb", bad.zipBomb(good), admin, ImportRefusal.UNSAFE_FILE),
                    new Refused("too many parts", bad.tooManyEntries(good, 1000), admin, ImportRefusal.UNSAFE_FILE),
                    new Refused("external entity", bad.externalEntity(good, "file:///etc/hostname"), admin,
                            ImportRefusal.UNSAFE_FILE),
                    new Refused("no identity", noIdentity, admin, ImportRefusal.UNKNOWN_EXPORT),
                    new Refused("unknown export id", fixtures.resaveWithPoi(export.workbook(),
                            identity("anonymiser.exportId", "999")), admin, ImportRefusal.UNKNOWN_EXPORT),
                    new Refused("malformed identity", fixtures.resaveWithPoi(export.workbook(),
                            identity("anonymiser.asOf", "last week")), admin, ImportRefusal.UNKNOWN_EXPORT),
                    new Refused("export not completed", fixtures.resaveWithPoi(running.workbook()), admin,
                            ImportRefusal.UNKNOWN_EXPORT),
                    new Refused("byte-identical to the export", export.workbook(), admin, ImportRefusal.NOT_RESAVED),
                    new Refused("header renamed", renamedHeader, admin, ImportRefusal.LAYOUT_CHANGED),
                    new Refused("columns reordered", fixtures.resaveWithPoi(export.workbook(), workbook -> {
                        var header = workbook.getSheetAt(0).getRow(0);
                        header.getCell(2).setCellValue("First name");
                        header.getCell(3).setCellValue("Last name");
                    }), admin, ImportRefusal.LAYOUT_CHANGED),
                    new Refused("column removed", fixtures.resaveWithPoi(export.workbook(), workbook -> workbook
                        .getSheetAt(0).getRow(0).removeCell(workbook.getSheetAt(0).getRow(0).getCell(7))), admin,
                            ImportRefusal.LAYOUT_CHANGED),
                    new Refused("column added", fixtures.resaveWithPoi(export.workbook(), workbook -> workbook
                        .getSheetAt(0).getRow(0).createCell(8).setCellValue("Comment")), admin,
                            ImportRefusal.LAYOUT_CHANGED),
                    new Refused("unknown user", good, "nobody", ImportRefusal.PERMISSION_DENIED),
                    new Refused("user without the right", good, "staff", ImportRefusal.PERMISSION_DENIED),
                    new Refused("admin of another club", good, "admin2", ImportRefusal.FOREIGN_CLUB),
                    new Refused("export too old", fixtures.resaveWithPoi(old.workbook()), admin,
                            ImportRefusal.EXPORT_EXPIRED),
                    new Refused("export file deleted", fixtures.resaveWithPoi(deleted.workbook()), admin,
                            ImportRefusal.EXPORT_EXPIRED),
                    // Two faults at once: the first in ImportGate's documented order wins.
                    new Refused("unknown user, zip bomb", bad.zipBomb(good), "nobody",
                            ImportRefusal.PERMISSION_DENIED),
                    new Refused("user without the right, CSV", bad.csvRenamed(), "staff",
                            ImportRefusal.PERMISSION_DENIED),
                    new Refused("too many parts, no identity", bad.tooManyEntries(noIdentity, 1000), admin,
                            ImportRefusal.UNSAFE_FILE),
                    new Refused("another club's admin, unknown export", fixtures.resaveWithPoi(export.workbook(),
                            identity("anonymiser.exportId", "999")), "admin2", ImportRefusal.UNKNOWN_EXPORT),
                    new Refused("another club's admin, expired export", fixtures.resaveWithPoi(old.workbook()),
                            "admin2", ImportRefusal.FOREIGN_CLUB),
                    new Refused("another club's admin, header renamed", renamedHeader, "admin2",
                            ImportRefusal.FOREIGN_CLUB),
                    new Refused("expired export, not re-saved", old.workbook(), admin, ImportRefusal.EXPORT_EXPIRED),
                    new Refused("expired export, header renamed", fixtures.resaveWithPoi(old.workbook(), workbook ->
                        workbook.getSheetAt(0).getRow(0).getCell(2).setCellValue("Surname")), admin,
                            ImportRefusal.EXPORT_EXPIRED));
            var before = MemberTables.all(jdbc);

            for (Refused refused : cases) {
                JobExecution execution = launcher.startJob(ImportJobParameters.of(refused.file(), refused.user()));

                assertThat(execution.getStatus()).as(refused.name()).isEqualTo(BatchStatus.FAILED);
                assertThat(execution.getExitStatus().getExitCode()).as(refused.name())
                    .isEqualTo("REFUSED:" + refused.expected());
                assertThat(execution.getExitStatus().getExitDescription()).as(refused.name())
                    .startsWith(refused.expected().message())
                    .doesNotContainPattern("(First|Last)\\d");
                assertThat(execution.getStepExecutions()).as(refused.name()).extracting(StepExecution::getStepName)
                    .containsExactly("importFileGateStep");
                // Its own record, by job instance: a case that recorded nothing cannot pass on the previous one's.
                assertThat(Rows.map(jdbc, "select status, failure_code from anonymisation_import where id = ?",
                        importId(execution))).as(refused.name())
                    .containsEntry("STATUS", "FAILED")
                    .containsEntry("FAILURE_CODE", refused.expected().name());
                assertThat(MemberTables.all(jdbc)).as(refused.name()).isEqualTo(before);
            }
            assertThat(MemberTables.count(jdbc, "anonymisation_import_claim")).isZero();
            assertThat(MemberTables.count(jdbc, "anonymisation_import_rejection")).isZero();
        }

        @Test
        void aRefusedFileIsRefusedAgainWhenRelaunched() throws Exception {
            fixtures.eligibleMember(101, 1);
            ExportFixtures.Export export = fixtures.export(1, List.of(101L));
            JobParameters parameters = ImportJobParameters.of(export.workbook(), ExportFixtures.ADMIN);

            JobExecution first = launcher.startJob(parameters);
            JobExecution second = launcher.startJob(parameters);

            assertThat(second.getJobInstance().getInstanceId()).isEqualTo(first.getJobInstance().getInstanceId());
            assertThat(List.of(first, second)).extracting(e -> e.getExitStatus().getExitCode())
                .containsOnly("REFUSED:NOT_RESAVED");
            assertThat(jdbc.queryForList("select failure_code from anonymisation_import", String.class))
                .containsExactly("NOT_RESAVED");
            assertThat(MemberTables.count(jdbc, "anonymisation_ledger")).isZero();
        }

        @Test
        void refusesAnExportImportedBefore() throws Exception {
            List<Long> exported = List.of(101L, 102L);
            exported.forEach(id -> fixtures.eligibleMember(id, 1));
            ExportFixtures.Export export = fixtures.export(1, exported);
            assertThat(importFile(fixtures.resaveWithPoi(export.workbook())).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);
            var before = MemberTables.all(jdbc);

            JobExecution again = importFile(fixtures.resaveWithPoi(export.workbook()));

            assertThat(again.getExitStatus().getExitCode()).isEqualTo("REFUSED:EXPORT_ALREADY_IMPORTED");
            assertThat(MemberTables.all(jdbc)).isEqualTo(before);
        }

        @Test
        void refusesARestartOverAChangedFile() throws Exception {
            fixtures.eligibleMember(101, 1);
            ExportFixtures.Export export = fixtures.export(1, List.of(101L));
            Path reviewed = fixtures.resaveWithPoi(export.workbook());
            JobParameters parameters = ImportJobParameters.of(reviewed, ExportFixtures.ADMIN);
            Files.copy(fixtures.resaveWithPoi(export.workbook(), workbook -> workbook.getSheetAt(0).createRow(5)),
                    reviewed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            JobExecution execution = launcher.startJob(parameters);

            assertThat(execution.getExitStatus().getExitCode()).isEqualTo("REFUSED:FILE_CHANGED");
            assertThat(jdbc.queryForObject("select status from member where id = 101", String.class))
                .isEqualTo("FORMER_CLIENT");
        }

        /** An edit setting one identity value in both the document properties and the hidden sheet. */
        static java.util.function.Consumer<XSSFWorkbook> identity(String key, String value) {
            return workbook -> {
                workbook.getProperties().getCustomProperties().getProperty(key).setLpwstr(value);
                for (Row row : workbook.getSheet(MembersSheet.IDENTITY_SHEET_NAME)) {
                    if (row.getCell(0).getStringCellValue().equals(key)) {
                        row.getCell(1).setCellValue(value);
                    }
                }
            };
        }

        JobExecution importFile(Path file) throws Exception {
            return launcher.startJob(ImportJobParameters.of(file, ExportFixtures.ADMIN));
        }

        static StepExecution step(JobExecution execution, String name) {
            return execution.getStepExecutions().stream().filter(s -> s.getStepName().equals(name)).findFirst()
                .orElseThrow();
        }

        long importId() {
            return jdbc.queryForObject("select max(id) from anonymisation_import", Long.class);
        }

        /** The execution's own import record (exactly one per job instance). */
        long importId(JobExecution execution) {
            return jdbc.queryForObject("select id from anonymisation_import where job_instance_id = ?", Long.class,
                    execution.getJobInstance().getInstanceId());
        }

        List<Rejection> rejections() {
            return jdbc.query("""
                    select row_number, member_id, member_number, code from anonymisation_import_rejection
                    where import_id = ? order by row_number""",
                    (rs, n) -> new Rejection(rs.getLong(1), rs.getObject(2, Long.class), rs.getString(3),
                            rs.getString(4)),
                    importId());
        }

        /** The error file's rows; asserts its header and that no cell holds a name of the fixtures. */
        List<Rejection> errorFile() throws Exception {
            Path file = storage.errorsDir().resolve(ErrorFileTasklet.fileName(importId()));
            List<Rejection> rows = new ArrayList<>();
            try (InputStream in = Files.newInputStream(file); XSSFWorkbook workbook = new XSSFWorkbook(in)) {
                assertThat(workbook.getNumberOfSheets()).isOne();
                Sheet sheet = workbook.getSheet(ErrorFileTasklet.SHEET_NAME);
                for (Row row : sheet) {
                    for (Cell cell : row) {
                        if (cell.getCellType() == CellType.STRING) {
                            // The fixtures' names (First101, Last101...); messages may name the columns' headers.
                            assertThat(cell.getStringCellValue()).doesNotContainPattern("(First|Last)\\d")
                                .doesNotContain("Someone", "Nobody");
                        }
                    }
                    if (row.getRowNum() == 0) {
                        assertThat(row).extracting(Cell::getStringCellValue)
                            .containsExactlyElementsOf(ErrorFileTasklet.HEADERS);
                        continue;
                    }
                    Cell memberId = row.getCell(1);
                    Cell memberNumber = row.getCell(2);
                    assertThat(row.getCell(4).getStringCellValue()).isNotBlank();
                    assertThat(row.getCell(5).getStringCellValue()).as("what to do")
                        .isEqualTo(RowRejection.valueOf(row.getCell(3).getStringCellValue()).advice());
                    rows.add(new Rejection((long) row.getCell(0).getNumericCellValue(),
                            memberId == null ? null : (long) memberId.getNumericCellValue(),
                            memberNumber == null ? null : memberNumber.getStringCellValue(),
                            row.getCell(3).getStringCellValue()));
                }
            }
            return rows;
        }

        /** Every table as the anonymisation plan says for these members, and one ledger row each for this import. */
        void assertAnonymised(List<Long> memberIds, long importId) {
            for (long id : memberIds) {
                Map<String, Object> member = Rows.map(jdbc, "select * from member where id = ?", id);
                assertThat(member).as("member %d", id)
                    .containsEntry("FIRST_NAME", "No")
                    .containsEntry("LAST_NAME", "No")
                    .containsEntry("EMAIL", null)
                    .containsEntry("BIRTH_DATE", null)
                    .containsEntry("NOTES", null)
                    .containsEntry("STATUS", "ANONYMISED")
                    .containsEntry("SALES_BLOCKED", true)
                    .containsEntry("BOOKINGS_BLOCKED", true)
                    .containsEntry("MEMBER_NUMBER", "M" + id);
                assertThat(member.get("ANONYMISED_AT")).as("member %d", id).isNotNull();
                assertThat(Rows.map(jdbc, "select line1, line2, postcode, city, country from member_address"
                        + " where member_id = ?", id).values()).as("address %d", id).containsOnlyNulls();
                assertThat(jdbc.queryForObject("select count(*) from member_phone where member_id = ?", Long.class,
                        id)).as("phones %d", id).isZero();
                assertThat(jdbc.queryForList("select granted from member_consent where member_id = ?", Boolean.class,
                        id)).as("consents %d", id).hasSize(5).containsOnly(false);
                assertThat(jdbc.queryForList("select status from badge where member_id = ?", String.class, id))
                    .as("badges %d", id).hasSize(2).containsOnly("RETIRED");
                assertThat(jdbc.queryForList("""
                        select r.badge_number from retired_badge_number r
                        join badge b on b.badge_number = r.badge_number where b.member_id = ?""", String.class, id))
                    .as("retired numbers %d", id).containsExactlyInAnyOrder("B" + id + "A", "B" + id + "B");
                assertThat(jdbc.queryForList("select import_id from anonymisation_ledger where member_id = ?",
                        Long.class, id)).as("ledger %d", id).containsExactly(importId);
            }
        }

        /** The import record's status and counts: rows read = anonymised + already anonymised + rejected. */
        void assertCounts(long importId, String status, long read, long anonymised, long alreadyAnonymised,
                long rejected) {
            assertThat(read).isEqualTo(anonymised + alreadyAnonymised + rejected);
            assertThat(Rows.map(jdbc, "select status, rows_read, members_anonymised, rows_already_anonymised,"
                    + " rows_rejected from anonymisation_import where id = ?", importId))
                .containsEntry("STATUS", status)
                .containsEntry("ROWS_READ", read)
                .containsEntry("MEMBERS_ANONYMISED", anonymised)
                .containsEntry("ROWS_ALREADY_ANONYMISED", alreadyAnonymised)
                .containsEntry("ROWS_REJECTED", rejected);
        }

        /** The manifest's resolution of each exported member, by member id. */
        Map<Long, String> resolutions(ExportFixtures.Export export) {
            Map<Long, String> resolutions = new java.util.LinkedHashMap<>();
            jdbc.query("select member_id, resolution from anonymisation_export_member where export_id = ?"
                    + " order by member_id", rs -> {
                resolutions.put(rs.getLong(1), rs.getString(2));
            }, export.id());
            return resolutions;
        }

        static Map.Entry<Long, String> entry(long memberId, String resolution) {
            return Map.entry(memberId, resolution);
        }

        /** Rows left open keep their values (and fingerprint), the others only their id; the file stays. */
        void assertExportOpen(ExportFixtures.Export export, List<Long> open) {
            assertThat(export.zip()).exists();
            assertThat(Rows.map(jdbc, "select file_deleted_at, resolved_at from anonymisation_export where id = ?",
                    export.id()).values()).containsOnlyNulls();
            assertThat(jdbc.queryForList("select member_id from anonymisation_export_member where export_id = ?"
                    + " and fingerprint is not null and last_name is not null and first_name is not null"
                    + " order by member_id", Long.class, export.id())).containsExactlyElementsOf(open);
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_export_member where export_id = ?"
                    + " and fingerprint is null and (last_name is not null or first_name is not null"
                    + " or member_number is not null)", Long.class, export.id())).isZero();
        }

        void assertExportPurged(ExportFixtures.Export export, int members) {
            assertThat(export.zip()).doesNotExist();
            assertThat(jdbc.queryForObject("select file_deleted_at from anonymisation_export where id = ?",
                    Timestamp.class, export.id())).isNotNull();
            assertThat(jdbc.queryForObject("select resolved_at from anonymisation_export where id = ?",
                    Timestamp.class, export.id())).isNotNull();
            List<Map<String, Object>> manifest = jdbc.queryForList(
                    "select * from anonymisation_export_member where export_id = ?", export.id());
            assertThat(manifest).hasSize(members);
            for (Map<String, Object> row : manifest) {
                assertThat(row.get("MEMBER_ID")).isNotNull();
                row.entrySet().stream()
                    .filter(e -> !e.getKey().equalsIgnoreCase("export_id") && !e.getKey().equalsIgnoreCase("member_id")
                            && !e.getKey().equalsIgnoreCase("resolution"))
                    .forEach(e -> assertThat(e.getValue()).as(e.getKey()).isNull());
            }
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_import_claim", Long.class)).isZero();
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Scenarios {
    }

    @Nested
    @OracleModeDatabase
    class OnOracleMode extends Scenarios {
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Scenarios {

        /**
         * The writer's row locks make activity added concurrently wait for the chunk (PostgreSQL checks a new visit's
         * member with a key-share lock): it can never slip in between the eligibility re-check and the commit.
         */
        @Test
        void activityAddedDuringAChunkWaitsForItsCommit() {
            fixtures.eligibleMember(101, 1);
            ExportFixtures.Export export = fixtures.export(1, List.of(101L));
            AnonymisingWriter writer = writerFor(export);

            new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
                writer.write(new Chunk<>(new ValidatedRow(2, 101, "M101")));
                try (java.sql.Connection other = dataSource.getConnection();
                        java.sql.Statement statement = other.createStatement()) {
                    statement.execute("set lock_timeout = '200ms'");
                    assertThatThrownBy(() -> statement.execute("""
                            insert into visit (id, member_id, club_id, visited_at)
                            values (9002, 101, 1, current_timestamp)""")).isInstanceOf(java.sql.SQLException.class)
                        .satisfies(ex -> assertThat(((java.sql.SQLException) ex).getSQLState()).isEqualTo("55P03"));
                    assertThatThrownBy(() -> statement.execute(
                            "update member_account set balance = -1 where member_id = 101"))
                        .isInstanceOf(java.sql.SQLException.class);
                }
                catch (java.sql.SQLException ex) {
                    throw new IllegalStateException(ex);
                }
            });

            assertThat(jdbc.queryForObject("select status from member where id = 101", String.class))
                .isEqualTo("ANONYMISED");
        }
    }
}
