package org.clubanonymiser.importing;

/**
 * One non-empty data row of the uploaded Members sheet, each cell as the text a spreadsheet shows it
 * ({@link CellValues}): numbers in plain notation ({@code 123}, never {@code 123.0}), dates as ISO dates, blank cells
 * {@code null}. Parsing and judging the values is the validator's job, so that a malformed cell becomes a rejection,
 * not a read failure. Holds names: never log it.
 *
 * @param rowNumber the 1-based row number of the spreadsheet (what the admin sees)
 * @param formula   a cell of the row holds a formula (its value is then the cached result, which the spreadsheet
 *                  application may have shown differently after recalculating): the export writes none
 * @param extraCell the reference (e.g. {@code I7}) of the row's first cell outside the export's columns that holds a
 *                  value (a note typed beside the row), or {@code null}
 * @param mark      how the row is marked unlike the other data rows (e.g. {@code "a comment in C7"},
 *                  {@code "a fill colour in B7"}), or {@code null}; never a cell's text
 */
public record UploadedRow(long rowNumber, String memberId, String memberNumber, String lastName, String firstName,
        String status, String lastActivity, String lastActivityKind, String monthsInactive, boolean formula,
        String extraCell, String mark) {

    /** A row without formulas nor marks. */
    public UploadedRow(long rowNumber, String memberId, String memberNumber, String lastName, String firstName,
            String status, String lastActivity, String lastActivityKind, String monthsInactive) {
        this(rowNumber, memberId, memberNumber, lastName, firstName, status, lastActivity, lastActivityKind,
                monthsInactive, false);
    }

    /** A row without marks. */
    public UploadedRow(long rowNumber, String memberId, String memberNumber, String lastName, String firstName,
            String status, String lastActivity, String lastActivityKind, String monthsInactive, boolean formula) {
        this(rowNumber, memberId, memberNumber, lastName, firstName, status, lastActivity, lastActivityKind,
                monthsInactive, formula, null, null);
    }

    boolean isEmpty() {
        return isBlank(memberId) && isBlank(memberNumber) && isBlank(lastName) && isBlank(firstName)
                && isBlank(status) && isBlank(lastActivity) && isBlank(lastActivityKind) && isBlank(monthsInactive);
    }

    static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public String toString() {
        // Records print every field by default; this one must not leak names into logs or exception messages.
        return "UploadedRow[rowNumber=" + rowNumber + "]";
    }
}
