package org.clubanonymiser.importing;

/**
 * One non-empty data row of the uploaded Members sheet, each cell as text: numbers in plain notation ({@code 123},
 * never {@code 123.0}), date cells as ISO dates, blank cells {@code null}. Parsing and judging the values is the
 * validator's job, so that a malformed cell becomes a rejection, not a read failure. Holds names: never log it.
 *
 * @param rowNumber the 1-based row number of the spreadsheet (what the admin sees)
 * @param formula   a cell of the row holds a formula (its value is then the cached result, which the spreadsheet
 *                  application may have shown differently after recalculating): the export writes none
 */
public record UploadedRow(long rowNumber, String memberId, String memberNumber, String lastName, String firstName,
        String status, String lastActivity, String lastActivityKind, String monthsInactive, boolean formula) {

    /** A row without formulas. */
    public UploadedRow(long rowNumber, String memberId, String memberNumber, String lastName, String firstName,
            String status, String lastActivity, String lastActivityKind, String monthsInactive) {
        this(rowNumber, memberId, memberNumber, lastName, firstName, status, lastActivity, lastActivityKind,
                monthsInactive, false);
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
