package org.clubanonymiser.importing;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;

import com.github.pjfanning.xlsx.StreamingReader;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Workbook;

/**
 * Opens uploaded workbooks for streaming, in bounded memory whatever their size. Excel and LibreOffice keep every text
 * of a workbook in its shared-strings table; POI's own readers load that table whole (a 1M-row file would not fit in
 * 256 MB). The streaming reader used here copies it into an encrypted MVStore temp file instead, created through
 * POI's {@code TempFile} strategy, which {@code SupportConfiguration} points at the product's own swept temp dir: a
 * crash leaves no readable names behind. Rows are parsed as they are iterated (a small row cache), so one pass over a
 * sheet costs memory for one window of rows.
 */
final class UploadedWorkbooks {

    private UploadedWorkbooks() {
    }

    /** The caller closes the workbook (which deletes the temp file). Call only on a file the gate inspected. */
    static Workbook open(Path file) throws IOException {
        return StreamingReader.builder()
            .rowCacheSize(200)
            .bufferSize(8192)
            .setUseSstTempFile(true)
            .setEncryptSstTempFile(true)
            .setReadComments(false)
            .setReadCoreProperties(false)
            .setReadHyperlinks(false)
            .setReadShapes(false)
            .setReadSharedFormulas(false)
            .open(file.toFile());
    }

    /** Index of the sheet with this name, or -1. */
    static int sheetIndex(Workbook workbook, String name) {
        for (int i = 0; i < workbook.getNumberOfSheets(); i++) {
            if (name.equals(workbook.getSheetName(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A cell as text, whatever its type: strings (shared or inline) as they are; numbers in plain notation without a
     * trailing {@code .0}; in a date column, a number (a date cell) as its ISO date; formulas by their cached result;
     * blank and missing cells {@code null}.
     */
    static String text(Cell cell, boolean dateColumn) {
        if (cell == null) {
            return null;
        }
        CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
        return switch (type) {
            case STRING -> emptyToNull(cell.getStringCellValue());
            case NUMERIC -> dateColumn ? date(cell) : plain(cell.getNumericCellValue());
            case BOOLEAN -> Boolean.toString(cell.getBooleanCellValue()).toUpperCase();
            case ERROR -> "#ERROR";
            default -> null;
        };
    }

    private static String date(Cell cell) {
        LocalDateTime value = cell.getLocalDateTimeCellValue();
        // Not a valid spreadsheet date (negative, out of range): keep the number, the validator will reject it.
        return value == null ? plain(cell.getNumericCellValue()) : value.toLocalDate().toString();
    }

    private static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
