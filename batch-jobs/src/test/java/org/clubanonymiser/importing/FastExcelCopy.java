package org.clubanonymiser.importing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.clubanonymiser.support.workbook.MembersSheet;
import org.dhatim.fastexcel.VisibilityState;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * A third, independent XLSX writer for the round trips: the workbook's values (read with POI) written anew by
 * fastexcel, which lays out its parts its own way (shared strings, its own styles table and number format ids, no
 * quote prefixes), like a program that rebuilds the file it saves. Each Members cell may be changed on the way
 * ({@link CellEdit}); the identity goes, as the export writes it, into the custom properties and a very hidden sheet.
 */
final class FastExcelCopy {

    /** The value to write for a data cell (0-based sheet row and column), given the value read. */
    interface CellEdit {

        Object value(int row, int column, Object read);
    }

    private FastExcelCopy() {
    }

    static Path write(Path source, Path target, CellEdit edit) {
        try (InputStream in = Files.newInputStream(source); XSSFWorkbook read = new XSSFWorkbook(in);
                OutputStream out = Files.newOutputStream(target)) {
            Workbook workbook = new Workbook(out, "FastExcelCopy", "1.0");
            Worksheet members = workbook.newWorksheet(MembersSheet.SHEET_NAME);
            for (Row row : read.getSheet(MembersSheet.SHEET_NAME)) {
                for (Cell cell : row) {
                    Object value = value(cell);
                    if (row.getRowNum() > 0) {
                        value = edit.value(row.getRowNum(), cell.getColumnIndex(), value);
                    }
                    write(members, row.getRowNum(), cell.getColumnIndex(), value);
                }
            }
            members.freezePane(0, 1);
            Worksheet identity = workbook.newWorksheet(MembersSheet.IDENTITY_SHEET_NAME);
            for (Row row : read.getSheet(MembersSheet.IDENTITY_SHEET_NAME)) {
                identity.value(row.getRowNum(), 0, row.getCell(0).getStringCellValue());
                identity.value(row.getRowNum(), 1, row.getCell(1).getStringCellValue());
                workbook.properties().setTextProperty(row.getCell(0).getStringCellValue(),
                        row.getCell(1).getStringCellValue());
            }
            identity.setVisibilityState(VisibilityState.VERY_HIDDEN);
            workbook.finish();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return target;
    }

    private static Object value(Cell cell) {
        if (cell.getCellType() == CellType.NUMERIC) {
            return DateUtil.isCellDateFormatted(cell) ? cell.getLocalDateTimeCellValue().toLocalDate()
                    : (Object) cell.getNumericCellValue();
        }
        return cell.getCellType() == CellType.STRING ? cell.getStringCellValue() : null;
    }

    private static void write(Worksheet sheet, int row, int column, Object value) {
        if (value instanceof LocalDate date) {
            sheet.value(row, column, date);
            sheet.style(row, column).format("yyyy\\-mm\\-dd").set();
        }
        else if (value instanceof Number number) {
            sheet.value(row, column, number);
        }
        else if (value instanceof String text) {
            sheet.value(row, column, text);
        }
    }
}
