package org.clubanonymiser.importing;

import java.util.OptionalLong;

/**
 * Where the anonymising step of an import stands, as the product database has it: the spreadsheet row number of the
 * last row whose chunk committed ({@code anonymisation_import.last_committed_row}), moved in the transaction of
 * each chunk, with the chunk's ledger rows, rejections and counts. Under Data Flow the step execution context lives
 * in another database, committed in a transaction of its own, so it may be a chunk ahead of (or behind) the rows
 * actually anonymised or rejected; {@link UploadedRowReader} resumes from this position instead. A row number,
 * nothing personal.
 */
record ImportPosition(ImportRecords records, long importId) {

    /** The last committed row (0: none yet); empty for an import recorded before the product kept its position. */
    OptionalLong lastRow() {
        return records.lastCommittedRow(importId);
    }

    /** Called in the transaction of the chunk that ends at {@code rowNumber}. */
    void commit(long rowNumber) {
        records.commitRow(importId, rowNumber);
    }
}
