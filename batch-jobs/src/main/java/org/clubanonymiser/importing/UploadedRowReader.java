package org.clubanonymiser.importing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.clubanonymiser.support.workbook.MembersSheet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
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
 * Restart: the position is the row number of the last row returned. With an {@link ImportPosition}, {@link #update}
 * (which the step calls inside each chunk's transaction, before it commits) writes it to the product database, so it
 * commits or rolls back with the chunk's own writes, and {@link #open} resumes from the product database's position:
 * the sheet is streamed again from the top and the rows up to that row passed over. The step execution context (under
 * {@code importRowReader.read.count}, the framework's key, and {@code importRowReader.last.row}) is kept as well, and
 * only read for an import recorded before the product kept its position (or without an {@link ImportPosition}), by
 * count. When the two disagree (two databases: the job repository's commit and the product's are two transactions),
 * the product database wins and the log says so, with counts and row numbers only. Nothing personal is ever put in the
 * execution context. Not thread-safe (one step execution at a time).
 */
public class UploadedRowReader extends AbstractItemCountingItemStreamItemReader<UploadedRow> {

    /** The framework's key (under the reader's name) of the rows returned. */
    static final String READ_COUNT = "read.count";

    /** The key (under the reader's name) of the row number of the last row returned. */
    static final String LAST_ROW = "last.row";

    private static final Logger log = LoggerFactory.getLogger(UploadedRowReader.class);

    private final Path file;

    private final ImportPosition position;

    /** The row number of the last row returned (0: none). */
    private long lastRow;

    /** The last row written to {@link #position} (or read from it). */
    private long recordedRow;

    private UploadedWorkbooks workbook;

    private SharedStrings strings;

    private RowMarks marks;

    private SheetRows rows;

    /** A reader whose restart position is its step execution context's only. */
    public UploadedRowReader(Path file) {
        this(file, null);
    }

    /** @param position the import's position in the product database, moved with each chunk; {@code null}: none */
    UploadedRowReader(Path file, ImportPosition position) {
        this.file = file;
        this.position = position;
        setName("importRowReader");
    }

    @Override
    public void open(ExecutionContext context) {
        OptionalLong committed = position == null ? OptionalLong.empty() : position.lastRow();
        if (committed.isEmpty()) {
            super.open(context);
            recordedRow = lastRow;
            return;
        }
        try {
            doOpen();
        }
        catch (Exception ex) {
            throw new ItemStreamException("Failed to open the uploaded workbook", ex);
        }
        long resumeAfter = committed.getAsLong();
        int passed = passThrough(resumeAfter);
        setCurrentItemCount(passed);
        recordedRow = resumeAfter;
        int contextCount = context.getInt(getExecutionContextKey(READ_COUNT), 0);
        if (contextCount != passed) {
            Object contextRow = context.get(getExecutionContextKey(LAST_ROW));
            log.warn("Import {}: the job repository's step execution context resumes after {} rows (row {}), the"
                    + " product database after {} rows (row {}): resuming from the product database's committed"
                    + " position", position.importId(), contextCount, contextRow == null ? "none" : contextRow,
                    passed, resumeAfter);
        }
    }

    /** Passes over the rows up to row {@code resumeAfter}, which the file must hold; returns how many. */
    private int passThrough(long resumeAfter) {
        int passed = 0;
        while (lastRow < resumeAfter) {
            UploadedRow row;
            try {
                row = doRead();
            }
            catch (Exception ex) {
                throw new ItemStreamException("Failed to pass over the rows already committed", ex);
            }
            if (row == null || row.rowNumber() > resumeAfter) {
                throw new ItemStreamException("The uploaded file has no data row " + resumeAfter
                        + ", where the import's last committed chunk ended: it is not the file the import read");
            }
            passed++;
        }
        return passed;
    }

    /** Called inside each chunk's transaction: the position commits with the chunk (and the context after it). */
    @Override
    public void update(ExecutionContext context) {
        super.update(context);
        context.putLong(getExecutionContextKey(LAST_ROW), lastRow);
        if (position != null && lastRow != recordedRow) {
            position.commit(lastRow);
            recordedRow = lastRow;
        }
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
                lastRow = uploaded.rowNumber();
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
