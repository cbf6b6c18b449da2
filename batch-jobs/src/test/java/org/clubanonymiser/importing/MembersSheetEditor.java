package org.clubanonymiser.importing;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.clubanonymiser.support.workbook.MembersSheet;

/**
 * An admin's edits of the Members sheet, as POI applies them to a re-saved workbook: the data rows are read as values,
 * edited as a list (delete, duplicate, change, add), and written back from row 2, cell types as the admin left them
 * (a value given as a String is a text cell, a Number a numeric cell, a LocalDate a date cell).
 */
final class MembersSheetEditor {

    private final List<Object[]> rows = new ArrayList<>();

    private MembersSheetEditor() {
    }

    /** A workbook edit for {@link ExportFixtures#resaveWithPoi(java.nio.file.Path, Consumer)}. */
    static Consumer<XSSFWorkbook> edit(Consumer<MembersSheetEditor> edits) {
        return workbook -> {
            Sheet sheet = workbook.getSheet(MembersSheet.SHEET_NAME);
            MembersSheetEditor editor = new MembersSheetEditor();
            for (Row row : sheet) {
                if (row.getRowNum() > 0) {
                    editor.rows.add(values(row));
                }
            }
            edits.accept(editor);
            for (int i = sheet.getLastRowNum(); i > 0; i--) {
                Row row = sheet.getRow(i);
                if (row != null) {
                    sheet.removeRow(row);
                }
            }
            CellStyle dateStyle = workbook.createCellStyle();
            dateStyle.setDataFormat(workbook.createDataFormat().getFormat(MembersSheet.DATE_FORMAT));
            int next = 1;
            for (Object[] values : editor.rows) {
                Row row = sheet.createRow(next++);
                if (values == null) {
                    continue;
                }
                for (int col = 0; col < values.length; col++) {
                    Object value = values[col];
                    if (value instanceof String text) {
                        row.createCell(col).setCellValue(text);
                    }
                    else if (value instanceof Number number) {
                        row.createCell(col).setCellValue(number.doubleValue());
                    }
                    else if (value instanceof LocalDate date) {
                        Cell cell = row.createCell(col);
                        cell.setCellValue(date);
                        cell.setCellStyle(dateStyle);
                    }
                    else if (value == BLANK_STYLED) {
                        row.createCell(col).setCellStyle(dateStyle);
                    }
                }
            }
        };
    }

    /** A cell that exists, styled, with no value (what spreadsheet applications leave in "empty" rows). */
    static final Object BLANK_STYLED = new Object();

    private static Object[] values(Row row) {
        Object[] values = new Object[MembersSheet.HEADERS.size()];
        for (int col = 0; col < values.length; col++) {
            Cell cell = row.getCell(col);
            if (cell == null || cell.getCellType() == CellType.BLANK) {
                continue;
            }
            if (cell.getCellType() == CellType.NUMERIC) {
                values[col] = DateUtil.isCellDateFormatted(cell) ? cell.getLocalDateTimeCellValue().toLocalDate()
                        : (Object) cell.getNumericCellValue();
            }
            else {
                values[col] = cell.getStringCellValue();
            }
        }
        return values;
    }

    private int indexOf(long memberId) {
        for (int i = 0; i < rows.size(); i++) {
            Object[] values = rows.get(i);
            if (values != null && values[MembersSheet.COL_MEMBER_ID] instanceof Double id && id == memberId) {
                return i;
            }
        }
        throw new IllegalArgumentException("No row for member " + memberId);
    }

    Object[] row(long memberId) {
        return rows.get(indexOf(memberId));
    }

    /** Sorts the rows by member id, last first (the admin sorting the sheet). */
    MembersSheetEditor sortByIdDescending() {
        rows.sort(java.util.Comparator.comparing(
                (Object[] values) -> values == null ? Double.MAX_VALUE : (Double) values[MembersSheet.COL_MEMBER_ID])
            .reversed());
        return this;
    }

    MembersSheetEditor delete(long memberId) {
        rows.remove(indexOf(memberId));
        return this;
    }

    MembersSheetEditor set(long memberId, int column, Object value) {
        row(memberId)[column] = value;
        return this;
    }

    /** Inserts a copy of the member's row right after it. */
    MembersSheetEditor duplicateBelow(long memberId) {
        int index = indexOf(memberId);
        rows.add(index + 1, rows.get(index).clone());
        return this;
    }

    /** Replaces the member's row by a copy of another member's row. */
    MembersSheetEditor replaceBy(long memberId, long copiedMemberId) {
        rows.set(indexOf(memberId), row(copiedMemberId).clone());
        return this;
    }

    MembersSheetEditor append(Object... values) {
        rows.add(Arrays.copyOf(values, MembersSheet.HEADERS.size()));
        return this;
    }

    MembersSheetEditor appendCopyOf(long memberId) {
        rows.add(row(memberId).clone());
        return this;
    }

    /** An empty row (no cells) or a row of styled blank cells, e.g. left after deleting content. */
    MembersSheetEditor appendEmpty(boolean styledCells) {
        Object[] values = new Object[MembersSheet.HEADERS.size()];
        if (styledCells) {
            Arrays.fill(values, BLANK_STYLED);
        }
        rows.add(values);
        return this;
    }
}
