package org.clubanonymiser.importing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.util.DefaultTempFileCreationStrategy;
import org.apache.poi.util.TempFile;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.clubanonymiser.support.workbook.ExportIdentity;
import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.support.workbook.MembersSheet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;

class UploadedRowReaderTests {

    static final ExportIdentity IDENTITY = new ExportIdentity(1, 1, "C1", LocalDate.of(2026, 6, 30),
            LocalDate.of(2023, 6, 30), 36, 10, LocalDateTime.of(2026, 6, 30, 9, 0), MembersSheet.FORMAT_VERSION);

    @TempDir
    Path dir;

    Path poiTemp;

    @BeforeEach
    void redirectPoiTempFiles() {
        poiTemp = dir.resolve("poi");
        TempFile.setTempFileCreationStrategy(new DefaultTempFileCreationStrategy(poiTemp.toFile()));
    }

    static List<ExportedRow> rows(int count) {
        List<ExportedRow> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            rows.add(new ExportedRow(100 + i, "M" + (100 + i), "Zyxwvut" + i, "Qponml" + i, "FORMER_CLIENT",
                    i % 3 == 0 ? null : LocalDate.of(2019, 1, i), i % 3 == 0 ? "NONE" : "VISIT", 80 + i));
        }
        return rows;
    }

    /** The export's workbook, re-saved with empty rows in the middle and at the end and retyped cells. */
    Path workbook(boolean sharedStrings) {
        Path exported = dir.resolve("export-" + sharedStrings + ".xlsx");
        ExportFixtures.writeWorkbook(exported, IDENTITY, rows(10), sharedStrings);
        ExportFixtures fixtures = new ExportFixtures(null, null, dir);
        return fixtures.resaveWithPoi(exported, MembersSheetEditor.edit(sheet -> sheet
            .set(102, MembersSheet.COL_MEMBER_ID, "102")
            .set(103, MembersSheet.COL_MEMBER_NUMBER, 103.0)
            .set(104, MembersSheet.COL_LAST_ACTIVITY, "2019-01-04")
            .set(105, MembersSheet.COL_MONTHS_INACTIVE, "85")
            .set(106, MembersSheet.COL_LAST_NAME, null)
            .appendEmpty(true)
            .appendEmpty(false)
            .appendEmpty(true)));
    }

    static List<UploadedRow> readAll(UploadedRowReader reader) throws Exception {
        List<UploadedRow> read = new ArrayList<>();
        for (UploadedRow row = reader.read(); row != null; row = reader.read()) {
            read.add(row);
        }
        return read;
    }

    @Test
    void readsEveryCellAsTextWhateverItsType() throws Exception {
        for (boolean sharedStrings : List.of(false, true)) {
            UploadedRowReader reader = new UploadedRowReader(workbook(sharedStrings));
            reader.open(new ExecutionContext());
            List<UploadedRow> read = readAll(reader);
            reader.close();

            assertThat(read).hasSize(10);
            assertThat(read).extracting(UploadedRow::rowNumber).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L,
                    11L);
            assertThat(read.get(0)).usingRecursiveComparison().isEqualTo(new UploadedRow(2, "101", "M101",
                    "Zyxwvut1", "Qponml1", "FORMER_CLIENT", "2019-01-01", "VISIT", "81"));
            assertThat(read.get(1).memberId()).isEqualTo("102");
            assertThat(read.get(2).memberNumber()).isEqualTo("103");
            assertThat(read.get(2).lastActivity()).isNull();
            assertThat(read.get(3).lastActivity()).isEqualTo("2019-01-04");
            assertThat(read.get(4).monthsInactive()).isEqualTo("85");
            assertThat(read.get(5).lastName()).isNull();
        }
    }

    /** A formula is read by its cached value and flags its row (the validator rejects it). */
    @Test
    void flagsRowsHoldingAFormula() throws Exception {
        Path exported = dir.resolve("export-formula.xlsx");
        ExportFixtures.writeWorkbook(exported, IDENTITY, rows(3), true);
        Path file = new ExportFixtures(null, null, dir).resaveWithPoi(exported, workbook -> {
            var cell = workbook.getSheetAt(0).getRow(2).getCell(MembersSheet.COL_MEMBER_ID);
            cell.setCellFormula("100+2");
            cell.setCellValue(102);
        });
        UploadedRowReader reader = new UploadedRowReader(file);
        reader.open(new ExecutionContext());
        List<UploadedRow> read = readAll(reader);
        reader.close();

        assertThat(read).extracting(UploadedRow::memberId).containsExactly("101", "102", "103");
        assertThat(read).extracting(UploadedRow::formula).containsExactly(false, true, false);
    }

    /** A workbook of the 1904 date system (old Mac Excel) whose serials were written for it reads the same dates. */
    @Test
    void readsDatesOfThe1904DateSystem() throws Exception {
        Path exported = dir.resolve("export-1904.xlsx");
        ExportFixtures.writeWorkbook(exported, IDENTITY, rows(3), true);
        Path file = new ExportFixtures(null, null, dir).resaveWithPoi(exported, workbook -> {
            var ct = workbook.getCTWorkbook();
            (ct.isSetWorkbookPr() ? ct.getWorkbookPr() : ct.addNewWorkbookPr()).setDate1904(true);
            for (int r = 1; r <= 2; r++) {
                var cell = workbook.getSheetAt(0).getRow(r).getCell(MembersSheet.COL_LAST_ACTIVITY);
                cell.setCellValue(LocalDate.of(2019, 1, r));
            }
        });
        UploadedRowReader reader = new UploadedRowReader(file);
        reader.open(new ExecutionContext());
        List<UploadedRow> read = readAll(reader);
        reader.close();

        assertThat(read).extracting(UploadedRow::lastActivity).containsExactly("2019-01-01", "2019-01-02", null);
    }

    /** SXSSF's default, and some other tools': text as inline strings, not in the shared-strings table. */
    @Test
    void readsInlineStrings() throws Exception {
        Path file = dir.resolve("inline.xlsx");
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(10); OutputStream out = Files.newOutputStream(file)) {
            Sheet sheet = workbook.createSheet(MembersSheet.SHEET_NAME);
            Row header = sheet.createRow(0);
            for (int i = 0; i < MembersSheet.HEADERS.size(); i++) {
                header.createCell(i).setCellValue(MembersSheet.HEADERS.get(i));
            }
            Row row = sheet.createRow(1);
            row.createCell(0).setCellValue(101);
            row.createCell(1).setCellValue("M101");
            row.createCell(2).setCellValue("Zyxwvut");
            row.createCell(7).setCellValue(81);
            workbook.write(out);
            workbook.dispose();
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertThat(new String(zip.getInputStream(zip.getEntry("xl/worksheets/sheet1.xml")).readAllBytes(),
                    StandardCharsets.UTF_8)).contains("t=\"inlineStr\"");
        }
        UploadedRowReader reader = new UploadedRowReader(file);
        reader.open(new ExecutionContext());
        assertThat(readAll(reader)).usingRecursiveFieldByFieldElementComparator()
            .containsExactly(new UploadedRow(2, "101", "M101", "Zyxwvut", null, null, null, null, "81"));
        reader.close();
    }

    /** The restart contract: read k, update, new reader, open with the same context, continues at k + 1. */
    @Test
    void restartsAfterTheLastSavedRow() throws Exception {
        Path file = workbook(true);
        ExecutionContext context = new ExecutionContext();
        UploadedRowReader first = new UploadedRowReader(file);
        first.open(context);
        List<UploadedRow> beforeCrash = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            beforeCrash.add(first.read());
        }
        first.update(context);
        first.close();

        assertThat(context.getInt("importRowReader.read.count")).isEqualTo(4);
        assertThat(context.entrySet()).allSatisfy(entry -> assertThat(entry.getValue()).isInstanceOf(Number.class));

        UploadedRowReader second = new UploadedRowReader(file);
        second.open(context);
        List<UploadedRow> afterRestart = readAll(second);
        second.close();

        assertThat(afterRestart).extracting(UploadedRow::rowNumber).containsExactly(6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(beforeCrash).extracting(UploadedRow::memberId).containsExactly("101", "102", "103", "104");
        assertThat(afterRestart.get(0).memberId()).isEqualTo("105");
    }

    /** Shared strings go to an encrypted temp file in the product's temp dir, deleted on close. */
    @Test
    void keepsNoReadableNameInTempFiles() throws Exception {
        UploadedRowReader reader = new UploadedRowReader(workbook(true));
        reader.open(new ExecutionContext());
        reader.read();

        List<Path> tempFiles = files(poiTemp);
        assertThat(tempFiles).isNotEmpty();
        for (Path temp : tempFiles) {
            String content = new String(Files.readAllBytes(temp), StandardCharsets.ISO_8859_1);
            assertThat(content).doesNotContain("Zyxwvut", "Qponml");
        }
        reader.close();
        assertThat(files(poiTemp)).isEmpty();
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
