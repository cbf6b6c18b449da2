package org.clubanonymiser.importing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.clubanonymiser.support.workbook.MembersSheet;

import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * Streams the data rows of the uploaded workbook's {@link MembersSheet#SHEET_NAME} sheet in bounded memory, each cell
 * as the value a spreadsheet shows ({@link CellValues}: whatever program wrote it, numbers in any XML form, dates
 * under any format, shared or inline strings), with what marks the row ({@link RowMarks}: a value beside it, a
 * comment, a colour or strikethrough unlike the other rows). Formula cells are read by their cached result, the row
 * flagged (the validator rejects it). Row 1 (the header, checked by the gate) and rows empty in the export's columns
 * are skipped; row numbers are the spreadsheet's.
 * <p>
 * Open makes one streaming pass over the sheet (the usual look of the data rows) and copies the shared strings into
 * an encrypted temp file ({@link SharedStrings}), both deterministic for a given file, so a restart sees the same.
 * Restart: the only state is the count of rows returned, under {@code <name>.read.count} (the framework's key; the
 * name is {@code importRowReader}). On open, the sheet is streamed again from the top and that many non-empty rows are
 * passed over, so a restart resumes with the first row of the first uncommitted chunk. Nothing personal is ever put in
 * the execution context. Not thread-safe (one step execution at a time).
 */
public class UploadedRowReader extends AbstractItemCountingItemStreamItemReader<UploadedRow> {

    private final Path file;

    private UploadedWorkbooks workbook;

    private SharedStrings strings;

    private RowMarks marks;

    private SheetRows rows;

    public UploadedRowReader(Path file) {
        this.file = file;
        setName("importRowReader");
    }

    @Override
    protected void doOpen() throws Exception {
        workbook = UploadedWorkbooks.open(file);
        String sheet = workbook.sheetPart(MembersSheet.SHEET_NAME)
            .orElseThrow(() -> new IllegalStateException("No " + MembersSheet.SHEET_NAME + " sheet in the uploaded"
                    + " workbook"));
        marks = RowMarks.scan(workbook, sheet);
        strings = SharedStrings.load(workbook);
        rows = new SheetRows(workbook, sheet);
    }

    @Override
    protected UploadedRow doRead() throws Exception {
        for (SheetRows.RawRow row = rows.next(); row != null; row = rows.next()) {
            if (row.number() <= 1) {
                continue;
            }
            UploadedRow uploaded = toUploadedRow(row, strings, workbook.date1904(), marks);
            if (!uploaded.isEmpty()) {
                return uploaded;
            }
        }
        return null;
    }

    static UploadedRow toUploadedRow(SheetRows.RawRow row, SharedStrings strings, boolean date1904, RowMarks marks) {
        Map<Integer, SheetRows.RawCell> cells = new HashMap<>();
        boolean formula = false;
        for (SheetRows.RawCell cell : row.cells()) {
            if (cell.column() < MembersSheet.HEADERS.size()) {
                cells.putIfAbsent(cell.column(), cell);
                formula |= cell.formula();
            }
        }
        String[] values = new String[MembersSheet.HEADERS.size()];
        for (int column = 0; column < values.length; column++) {
            values[column] = CellValues.shown(cells.get(column), strings::get, date1904,
                    CellValues.Kind.of(column));
        }
        return new UploadedRow(row.number(), values[MembersSheet.COL_MEMBER_ID],
                values[MembersSheet.COL_MEMBER_NUMBER], values[MembersSheet.COL_LAST_NAME],
                values[MembersSheet.COL_FIRST_NAME], values[MembersSheet.COL_STATUS],
                values[MembersSheet.COL_LAST_ACTIVITY], values[MembersSheet.COL_LAST_ACTIVITY_KIND],
                values[MembersSheet.COL_MONTHS_INACTIVE], formula, RowMarks.extraCell(row, strings::get, date1904),
                marks.mark(row));
    }

    @Override
    protected void doClose() throws Exception {
        try (UploadedWorkbooks openWorkbook = workbook; SharedStrings openStrings = strings;
                SheetRows openRows = rows) {
            // try-with-resources closes each one that was opened, in reverse order, even if one fails.
        }
        finally {
            rows = null;
            strings = null;
            workbook = null;
            marks = null;
        }
    }
}
