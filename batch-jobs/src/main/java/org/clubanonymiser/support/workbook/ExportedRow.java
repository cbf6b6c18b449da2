package org.clubanonymiser.support.workbook;

import java.time.LocalDate;

/**
 * One data row of the exported workbook, as written and as read back. Holds personal data (names): never log it,
 * never put it in an execution context.
 */
public record ExportedRow(long memberId, String memberNumber, String lastName, String firstName, String status,
        LocalDate lastActivity, String lastActivityKind, int monthsInactive) {

    @Override
    public String toString() {
        // Records print every field by default; this one must not leak names into logs or exception messages.
        return "ExportedRow[memberId=" + memberId + "]";
    }
}
