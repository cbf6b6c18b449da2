package org.clubanonymiser.importing;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;

import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFClientAnchor;
import org.apache.poi.xssf.usermodel.XSSFFont;
import org.apache.poi.xssf.usermodel.XSSFRichTextString;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.support.workbook.MembersSheet;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin's review with real spreadsheet programs other than the one the export was tested with: the export job's
 * own workbook ({@link ExportFixtures#exportAsTheExportJob}) re-saved by Gnumeric ({@code ssconvert}) and LibreOffice,
 * or rewritten by a third writer (fastexcel, {@link FastExcelCopy}),
 * unchanged, with one name edited, sorted with rows deleted, and marked the ways people mark rows instead of deleting
 * them (hidden, filtered out, a note beside the row, a comment, a colour, strikethrough), each mark then saved by
 * LibreOffice itself. Values are compared, not XML: an unchanged re-save anonymises every row, an edit rejects exactly
 * its row naming the column, a mark keeps its member.
 */
class ImportSpreadsheetProgramsJobFunctionalTests {

    /** One rejection as the table holds it. */
    record Rejection(long row, Long memberId, String code, String message) {
    }

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

        final List<Long> exported = LongStream.rangeClosed(101, 112).boxed().toList();

        ExportFixtures.Export export;

        @BeforeEach
        void setUp() {
            fixtures = new ExportFixtures(jdbc, storage, work);
            fixtures.clean();
            fixtures.standardClubs();
            launcher = new JobOperatorTestUtils(jobOperator, jobRepository);
            launcher.setJob(importJob);
            exported.forEach(id -> fixtures.eligibleMember(id, 1));
            export = fixtures.exportAsTheExportJob(1, exported);
        }

        @Test
        void aGnumericResaveOfTheExportAnonymisesEveryRow() throws Exception {
            JobExecution execution = importFile(fixtures.resaveWithGnumeric(export.workbook()));

            assertCompleted(execution, exported);
        }

        @Test
        void aFastExcelRewriteOfTheExportAnonymisesEveryRow() throws Exception {
            JobExecution execution = importFile(FastExcelCopy.write(export.workbook(),
                    work.resolve("fastexcel-" + export.workbook().getFileName()), (row, column, value) -> value));

            assertCompleted(execution, exported);
        }

        @Test
        void anEditedNameRewrittenByFastExcelRejectsExactlyItsRowNamingTheColumn() throws Exception {
            Path edited = FastExcelCopy.write(export.workbook(), work.resolve("fastexcel-" + export.workbook()
                .getFileName()), (row, column, value) -> row == 5 && column == MembersSheet.COL_FIRST_NAME
                        ? "Firstt105" : value);

            JobExecution execution = importFile(edited);

            assertThat(execution.getExitStatus().getExitCode()).isEqualTo(ImportJobListener.COMPLETED_WITH_ERRORS);
            assertThat(rejections()).containsExactly(new Rejection(6, 105L, "CONTENT_MODIFIED",
                    "The row's values differ from the export in: First name."));
            assertAnonymised(exported.stream().filter(id -> id != 105).toList());
        }

        @Test
        void anEditedNameResavedByGnumericRejectsExactlyItsRowNamingTheColumn() throws Exception {
            editedNameRejectsExactlyItsRow(fixtures::resaveWithGnumeric);
        }

        @Test
        void anEditedNameResavedByLibreOfficeRejectsExactlyItsRowNamingTheColumn() throws Exception {
            editedNameRejectsExactlyItsRow(fixtures::resaveWithLibreOffice);
        }

        private void editedNameRejectsExactlyItsRow(UnaryOperator<Path> program) throws Exception {
            Path edited = fixtures.resaveWithPoi(export.workbook(), workbook -> setText(workbook.getSheet(
                    MembersSheet.SHEET_NAME).getRow(5), MembersSheet.COL_FIRST_NAME, "Firstt105"));

            JobExecution execution = importFile(program.apply(edited));

            assertThat(execution.getExitStatus().getExitCode()).isEqualTo(ImportJobListener.COMPLETED_WITH_ERRORS);
            assertThat(rejections()).containsExactly(new Rejection(6, 105L, "CONTENT_MODIFIED",
                    "The row's values differ from the export in: First name."));
            assertAnonymised(exported.stream().filter(id -> id != 105).toList());
            assertKept(List.of(105L));
        }

        @Test
        void sortedRowsWithRowsDeletedImportTheRemainingRowsWithEitherProgram() throws Exception {
            Path edited = fixtures.resaveWithPoi(export.workbook(),
                    MembersSheetEditor.edit(sheet -> sheet.sortByIdDescending().delete(103).delete(110)));
            Path gnumeric = fixtures.resaveWithGnumeric(edited);
            Path libreOffice = fixtures.resaveWithLibreOffice(gnumeric);

            JobExecution execution = importFile(libreOffice);

            assertCompleted(execution, exported.stream().filter(id -> id != 103 && id != 110).toList());
            assertKept(List.of(103L, 110L));
        }

        @Test
        void hiddenRowsRefuseTheWholeFile() throws Exception {
            Path marked = fixtures.resaveWithLibreOffice(fixtures.resaveWithPoi(export.workbook(), workbook -> {
                workbook.getSheet(MembersSheet.SHEET_NAME).getRow(3).setZeroHeight(true);
                workbook.getSheet(MembersSheet.SHEET_NAME).getRow(8).setZeroHeight(true);
            }));

            assertRefusedHidden(importFile(marked), 2);
        }

        @Test
        void rowsFilteredOutByAnAutoFilterRefuseTheWholeFile() throws Exception {
            Path filtered = fixtures.resaveWithPoi(export.workbook(), workbook -> {
                XSSFSheet sheet = workbook.getSheet(MembersSheet.SHEET_NAME);
                sheet.setAutoFilter(new CellRangeAddress(0, exported.size(), 0, MembersSheet.HEADERS.size() - 1));
                sheet.getRow(4).setZeroHeight(true);
            });
            // An active filter on the member ID (POI cannot write one): every member but 104 shown, 104 filtered out.
            StringBuilder shown = new StringBuilder();
            exported.stream().filter(id -> id != 104).forEach(id -> shown.append("<filter val=\"").append(id)
                .append("\"/>"));
            rewritePart(filtered, "xl/worksheets/sheet1.xml", xml -> xml.replaceFirst("<autoFilter ref=\"([A-Z0-9:]+)\"/>",
                    "<autoFilter ref=\"$1\"><filterColumn colId=\"0\"><filters>" + shown
                            + "</filters></filterColumn></autoFilter>"));
            Path marked = fixtures.resaveWithLibreOffice(filtered);
            assertThat(partOf(marked, "xl/worksheets/sheet1.xml")).as("LibreOffice keeps the active filter")
                .contains("<filterColumn");

            assertRefusedHidden(importFile(marked), 1);
        }

        private static void rewritePart(Path file, String part, UnaryOperator<String> change) throws Exception {
            try (var zip = java.nio.file.FileSystems.newFileSystem(file)) {
                Path entry = zip.getPath(part);
                String xml = java.nio.file.Files.readString(entry);
                String changed = change.apply(xml);
                assertThat(changed).as("the part was changed").isNotEqualTo(xml);
                java.nio.file.Files.writeString(entry, changed);
            }
        }

        private static String partOf(Path file, String part) throws Exception {
            try (var zip = java.nio.file.FileSystems.newFileSystem(file)) {
                return java.nio.file.Files.readString(zip.getPath(part));
            }
        }

        @Test
        void eachWayOfMarkingARowKeepsItsMember() throws Exception {
            Path marked = fixtures.resaveWithLibreOffice(fixtures.resaveWithPoi(export.workbook(), workbook -> {
                XSSFSheet sheet = workbook.getSheet(MembersSheet.SHEET_NAME);
                // A note typed beside row 3 (member 102), in column I, without a header.
                sheet.getRow(2).createCell(8).setCellValue("keep - still in contact");
                // A cell comment on row 4 (member 103).
                XSSFCell commented = sheet.getRow(3).getCell(MembersSheet.COL_LAST_NAME);
                var comment = sheet.createDrawingPatriarch().createCellComment(new XSSFClientAnchor(0, 0, 0, 0, 4, 3,
                        7, 6));
                comment.setString(new XSSFRichTextString("keep him"));
                commented.setCellComment(comment);
                // A yellow fill on row 5 (member 104), a red font on row 6 (105), strikethrough on row 7 (106).
                restyle(workbook, sheet.getRow(4), style -> {
                    style.setFillForegroundColor(IndexedColors.YELLOW.getIndex());
                    style.setFillPattern(FillPatternType.SOLID_FOREGROUND);
                });
                XSSFFont red = workbook.createFont();
                red.setColor(IndexedColors.RED.getIndex());
                restyle(workbook, sheet.getRow(5), style -> style.setFont(red));
                XSSFFont struck = workbook.createFont();
                struck.setStrikeout(true);
                restyle(workbook, sheet.getRow(6), style -> style.setFont(struck));
            }));

            JobExecution execution = importFile(marked);

            assertThat(execution.getExitStatus().getExitCode()).isEqualTo(ImportJobListener.COMPLETED_WITH_ERRORS);
            assertThat(rejections()).extracting(Rejection::row, Rejection::memberId, Rejection::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, 102L, "EXTRA_CONTENT"),
                        org.assertj.core.groups.Tuple.tuple(4L, 103L, "MARKED_ROW"),
                        org.assertj.core.groups.Tuple.tuple(5L, 104L, "MARKED_ROW"),
                        org.assertj.core.groups.Tuple.tuple(6L, 105L, "MARKED_ROW"),
                        org.assertj.core.groups.Tuple.tuple(7L, 106L, "MARKED_ROW"));
            assertThat(rejections()).extracting(Rejection::message).containsExactly(
                    "Cell I3, outside the export's columns, holds a value (a note?): the member was kept.",
                    "The row is marked unlike the other rows (a comment in C4): the member was kept.",
                    "The row is marked unlike the other rows (a fill colour in B5): the member was kept.",
                    "The row is marked unlike the other rows (a font colour in B6): the member was kept.",
                    "The row is marked unlike the other rows (strikethrough in B7): the member was kept.");
            assertKept(List.of(102L, 103L, 104L, 105L, 106L));
            assertAnonymised(exported.stream().filter(id -> id < 102 || id > 106).toList());
            assertThat(jdbc.queryForObject("select summary from anonymisation_import", String.class))
                .isEqualTo("5 of 12 rows rejected (4 MARKED_ROW, 1 EXTRA_CONTENT); their members were kept");
        }

        /** Not one row went through: the record, the exit description and the log say so, not just a count. */
        @Test
        void everyRowRejectedForTheSameCodeIsSaidLoudly() throws Exception {
            Path edited = fixtures.resaveWithGnumeric(fixtures.resaveWithPoi(export.workbook(), workbook -> {
                XSSFSheet sheet = workbook.getSheet(MembersSheet.SHEET_NAME);
                for (int r = 1; r <= exported.size(); r++) {
                    setText(sheet.getRow(r), MembersSheet.COL_STATUS, "KEEP");
                }
            }));

            JobExecution execution = importFile(edited);

            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            String loud = "All 12 rows rejected: CONTENT_MODIFIED \u2014 was the file edited or saved by an unsupported"
                    + " program?";
            assertThat(execution.getExitStatus().getExitCode()).isEqualTo(ImportJobListener.COMPLETED_WITH_ERRORS);
            assertThat(execution.getExitStatus().getExitDescription()).startsWith(loud);
            assertThat(jdbc.queryForObject("select status || ' ' || members_anonymised || ' ' || summary"
                    + " from anonymisation_import", String.class)).isEqualTo("COMPLETED_WITH_ERRORS 0 " + loud);
            assertThat(rejections()).extracting(Rejection::message)
                .containsOnly("The row's values differ from the export in: Status.");
            assertKept(exported);
        }

        /**
         * Types a text over a cell as the admin would. A new cell: POI's setCellValue on the export's inline-string
         * cell keeps the old {@code <is>} beside the new value, a file no program writes.
         */
        private static void setText(XSSFRow row, int column, String text) {
            XSSFCell old = row.getCell(column);
            CellStyle style = old.getCellStyle();
            row.removeCell(old);
            XSSFCell cell = row.createCell(column);
            cell.setCellStyle(style);
            cell.setCellValue(text);
        }

        /** Restyles the row's text cells (B to E) as the admin would colour a row. */
        private static void restyle(XSSFWorkbook workbook, XSSFRow row, Consumer<CellStyle> change) {
            for (int col = MembersSheet.COL_MEMBER_NUMBER; col <= MembersSheet.COL_STATUS; col++) {
                XSSFCell cell = row.getCell(col);
                CellStyle style = workbook.createCellStyle();
                style.cloneStyleFrom(cell.getCellStyle());
                change.accept(style);
                cell.setCellStyle(style);
            }
        }

        private void assertRefusedHidden(JobExecution execution, int hidden) {
            assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(execution.getExitStatus().getExitCode()).isEqualTo("REFUSED:HIDDEN_ROWS");
            assertThat(execution.getExitStatus().getExitDescription())
                .contains("unhide or delete the " + hidden + " hidden row");
            assertThat(jdbc.queryForObject("select failure_code from anonymisation_import", String.class))
                .isEqualTo("HIDDEN_ROWS");
            assertKept(exported);
            assertThat(MemberTables.count(jdbc, "anonymisation_ledger")).isZero();
        }

        private void assertCompleted(JobExecution execution, List<Long> anonymised) {
            assertThat(execution.getStatus()).as(execution.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
            assertThat(rejections()).isEmpty();
            assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
            assertAnonymised(anonymised);
            assertThat(jdbc.queryForObject("select rows_read || ' ' || members_anonymised || ' ' || rows_rejected"
                    + " from anonymisation_import", String.class))
                .isEqualTo(anonymised.size() + " " + anonymised.size() + " 0");
        }

        private void assertAnonymised(List<Long> memberIds) {
            assertThat(jdbc.queryForList("select member_id from anonymisation_ledger order by member_id", Long.class))
                .containsExactlyElementsOf(memberIds);
            for (long id : memberIds) {
                assertThat(jdbc.queryForObject("select status || ' ' || last_name from member where id = ?",
                        String.class, id)).as("member %d", id).isEqualTo("ANONYMISED No");
            }
        }

        private void assertKept(List<Long> memberIds) {
            for (long id : memberIds) {
                assertThat(jdbc.queryForObject("select status || ' ' || last_name from member where id = ?",
                        String.class, id)).as("member %d", id).isEqualTo("FORMER_CLIENT Last" + id);
            }
        }

        JobExecution importFile(Path file) throws Exception {
            return launcher.startJob(ImportJobParameters.of(file, ExportFixtures.ADMIN));
        }

        List<Rejection> rejections() {
            return jdbc.query("""
                    select r.row_number, r.member_id, r.code, r.message from anonymisation_import_rejection r
                    where r.import_id = (select max(id) from anonymisation_import) order by r.row_number""",
                    (rs, n) -> new Rejection(rs.getLong(1), rs.getObject(2, Long.class), rs.getString(3),
                            rs.getString(4)));
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
