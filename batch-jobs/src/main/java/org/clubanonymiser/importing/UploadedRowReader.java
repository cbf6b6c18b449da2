package org.clubanonymiser.importing;

import java.nio.file.Path;
import java.util.Iterator;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Workbook;
import org.clubanonymiser.support.workbook.MembersSheet;

import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * Streams the data rows of the uploaded workbook's {@link MembersSheet#SHEET_NAME} sheet, in bounded memory
 * ({@link UploadedWorkbooks}): shared or inline strings, numbers typed as text and the reverse, date cells or ISO text,
 * styles and blank cells are all read as {@link UploadedRow} text; formula cells by their cached result, the row
 * flagged (the validator rejects it). Row 1 (the header, checked by the gate) and fully
 * empty rows are skipped; row numbers are the spreadsheet's.
 * <p>
 * Restart: the only state is the count of rows returned, under {@code <name>.read.count} (the framework's key; the
 * name is {@code importRowReader}). On open, the sheet is streamed again from the top and that many non-empty rows are
 * passed over, so a restart resumes with the first row of the first uncommitted chunk. Nothing personal is ever put in
 * the execution context. Not thread-safe (one step execution at a time).
 */
public class UploadedRowReader extends AbstractItemCountingItemStreamItemReader<UploadedRow> {

    private final Path file;

    private Workbook workbook;

    private Iterator<Row> rows;

    public UploadedRowReader(Path file) {
        this.file = file;
        setName("importRowReader");
    }

    @Override
    protected void doOpen() throws Exception {
        workbook = UploadedWorkbooks.open(file);
        int index = UploadedWorkbooks.sheetIndex(workbook, MembersSheet.SHEET_NAME);
        if (index < 0) {
            throw new IllegalStateException("No " + MembersSheet.SHEET_NAME + " sheet in the uploaded workbook");
        }
        rows = workbook.getSheetAt(index).rowIterator();
    }

    @Override
    protected UploadedRow doRead() {
        while (rows.hasNext()) {
            Row row = rows.next();
            if (row.getRowNum() == 0) {
                continue;
            }
            UploadedRow uploaded = toUploadedRow(row);
            if (!uploaded.isEmpty()) {
                return uploaded;
            }
        }
        return null;
    }

    static UploadedRow toUploadedRow(Row row) {
        return new UploadedRow(row.getRowNum() + 1L, cell(row, MembersSheet.COL_MEMBER_ID),
                cell(row, MembersSheet.COL_MEMBER_NUMBER), cell(row, MembersSheet.COL_LAST_NAME),
                cell(row, MembersSheet.COL_FIRST_NAME), cell(row, MembersSheet.COL_STATUS),
                UploadedWorkbooks.text(row.getCell(MembersSheet.COL_LAST_ACTIVITY), true),
                cell(row, MembersSheet.COL_LAST_ACTIVITY_KIND), cell(row, MembersSheet.COL_MONTHS_INACTIVE),
                hasFormula(row));
    }

    private static boolean hasFormula(Row row) {
        for (int column = 0; column < MembersSheet.HEADERS.size(); column++) {
            Cell cell = row.getCell(column);
            if (cell != null && cell.getCellType() == CellType.FORMULA) {
                return true;
            }
        }
        return false;
    }

    private static String cell(Row row, int column) {
        return UploadedWorkbooks.text(row.getCell(column), false);
    }

    @Override
    protected void doClose() throws Exception {
        rows = null;
        if (workbook != null) {
            try {
                workbook.close();
            }
            finally {
                workbook = null;
            }
        }
    }
}
