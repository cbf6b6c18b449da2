package org.clubanonymiser.export;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataFormat;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.SheetVisibility;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import org.clubanonymiser.support.workbook.ExportIdentity;
import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.support.workbook.MembersSheet;

/**
 * Renders the exported workbook ({@link MembersSheet}) with POI's streaming SXSSF: only
 * {@code window} rows stay in memory, older ones go to a compressed temp file in POI's temp dir (the product's own,
 * see {@code SupportConfiguration}). Strings are written inline, not in a shared-strings table, so memory does not
 * grow with the row count either.
 * <p>
 * Sheet {@code Members}: a header row, then one row per {@link #append(ExportedRow) appended} member: A numeric id,
 * B–E and G text cells (the member number exactly as stored), F a real date cell or nothing, H a number. A text
 * starting with {@code = + - @} is still a plain text cell (never a formula) and is also "quote prefixed", so that a
 * spreadsheet application keeps treating it as text when the admin edits it. The {@link ExportIdentity} goes into
 * the custom document properties and into the very hidden sheet {@link MembersSheet#IDENTITY_SHEET_NAME}.
 * <p>
 * Not thread-safe; one instance per file. {@link #close()} always deletes POI's temp files.
 */
final class MembersWorkbookWriter implements AutoCloseable {

    private static final int[] COLUMN_WIDTHS = { 12, 16, 24, 24, 16, 14, 18, 16 };

    private final SXSSFWorkbook workbook;

    private final SXSSFSheet sheet;

    private final CellStyle textStyle;

    private final CellStyle quotedTextStyle;

    private final CellStyle dateStyle;

    private int nextRow;

    MembersWorkbookWriter(int window) {
        // Inline strings (no shared-strings table), temp files compressed: they hold names until disposed.
        this.workbook = new SXSSFWorkbook(new XSSFWorkbook(), window, true, false);
        DataFormat format = workbook.createDataFormat();
        this.textStyle = workbook.createCellStyle();
        textStyle.setDataFormat(format.getFormat("@"));
        this.quotedTextStyle = workbook.createCellStyle();
        quotedTextStyle.cloneStyleFrom(textStyle);
        quotedTextStyle.setQuotePrefixed(true);
        this.dateStyle = workbook.createCellStyle();
        dateStyle.setDataFormat(format.getFormat(MembersSheet.DATE_FORMAT));
        this.sheet = workbook.createSheet(MembersSheet.SHEET_NAME);
        writeHeader();
    }

    private void writeHeader() {
        Font bold = workbook.createFont();
        bold.setBold(true);
        CellStyle headerStyle = workbook.createCellStyle();
        headerStyle.setFont(bold);
        Row header = sheet.createRow(nextRow++);
        for (int column = 0; column < MembersSheet.HEADERS.size(); column++) {
            Cell cell = header.createCell(column);
            cell.setCellValue(MembersSheet.HEADERS.get(column));
            cell.setCellStyle(headerStyle);
            sheet.setColumnWidth(column, COLUMN_WIDTHS[column] * 256);
        }
        sheet.createFreezePane(0, 1);
    }

    void append(ExportedRow member) {
        if (nextRow >= SpreadsheetVersion.EXCEL2007.getMaxRows()) {
            throw new IllegalStateException("An export holds at most "
                    + (SpreadsheetVersion.EXCEL2007.getMaxRows() - 1) + " members: reduce it (another club or a"
                    + " longer inactivity)");
        }
        Row row = sheet.createRow(nextRow++);
        row.createCell(MembersSheet.COL_MEMBER_ID).setCellValue(member.memberId());
        text(row, MembersSheet.COL_MEMBER_NUMBER, member.memberNumber());
        text(row, MembersSheet.COL_LAST_NAME, member.lastName());
        text(row, MembersSheet.COL_FIRST_NAME, member.firstName());
        text(row, MembersSheet.COL_STATUS, member.status());
        if (member.lastActivity() != null) {
            Cell date = row.createCell(MembersSheet.COL_LAST_ACTIVITY);
            date.setCellValue(member.lastActivity());
            date.setCellStyle(dateStyle);
        }
        text(row, MembersSheet.COL_LAST_ACTIVITY_KIND, member.lastActivityKind());
        row.createCell(MembersSheet.COL_MONTHS_INACTIVE).setCellValue(member.monthsInactive());
    }

    /** Rows appended so far, header excluded. */
    long rowCount() {
        return nextRow - 1L;
    }

    private void text(Row row, int column, String value) {
        if (value == null) {
            return;
        }
        Cell cell = row.createCell(column);
        // setCellValue(String) makes a string cell: POI never parses it as a formula (only setCellFormula does).
        cell.setCellValue(value);
        cell.setCellStyle(looksLikeFormula(value) ? quotedTextStyle : textStyle);
    }

    static boolean looksLikeFormula(String value) {
        return !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0;
    }

    /** Writes the identity in both places the import looks for it. Call once, before {@link #writeTo}. */
    void identity(ExportIdentity identity) {
        Map<String, String> properties = identity.toProperties();
        var custom = workbook.getXSSFWorkbook().getProperties().getCustomProperties();
        properties.forEach(custom::addProperty);
        var core = workbook.getXSSFWorkbook().getProperties().getCoreProperties();
        core.setCreator("Club Anonymiser");
        core.setTitle("Export " + identity.exportId() + " - club " + identity.clubCode());

        Sheet hidden = workbook.createSheet(MembersSheet.IDENTITY_SHEET_NAME);
        int rowIndex = 0;
        for (Map.Entry<String, String> entry : properties.entrySet()) {
            Row row = hidden.createRow(rowIndex++);
            Cell key = row.createCell(0);
            key.setCellValue(entry.getKey());
            key.setCellStyle(textStyle);
            Cell value = row.createCell(1);
            value.setCellValue(entry.getValue());
            value.setCellStyle(textStyle);
        }
        workbook.setSheetVisibility(workbook.getSheetIndex(hidden), SheetVisibility.VERY_HIDDEN);
        workbook.setActiveSheet(0);
        workbook.setSelectedTab(0);
    }

    void writeTo(OutputStream out) throws IOException {
        workbook.write(out);
    }

    @Override
    public void close() throws IOException {
        try {
            workbook.dispose();
        }
        finally {
            workbook.close();
        }
    }
}
