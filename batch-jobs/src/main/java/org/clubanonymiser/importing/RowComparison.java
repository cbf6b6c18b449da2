package org.clubanonymiser.importing;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.support.workbook.MembersSheet;

/**
 * Which columns of an uploaded row show other values than the export wrote for its member, by type: the uploaded
 * row is already what a spreadsheet shows ({@link CellValues}), so a date is compared as a date, a number as a whole
 * number, a text exactly (a changed letter or an added space differs). Names the columns by their header only, never
 * a value. Stateless.
 */
final class RowComparison {

    private RowComparison() {
    }

    /** The headers of the columns that differ, in the sheet's order; empty when the row is the export's. */
    static List<String> differingColumns(ExportedRow exported, UploadedRow row) {
        List<String> columns = new ArrayList<>();
        Long memberId = RowValidator.wholeNumber(row.memberId());
        differs(columns, MembersSheet.COL_MEMBER_ID, memberId == null || memberId != exported.memberId());
        differs(columns, MembersSheet.COL_MEMBER_NUMBER, !sameText(exported.memberNumber(), row.memberNumber()));
        differs(columns, MembersSheet.COL_LAST_NAME, !sameText(exported.lastName(), row.lastName()));
        differs(columns, MembersSheet.COL_FIRST_NAME, !sameText(exported.firstName(), row.firstName()));
        differs(columns, MembersSheet.COL_STATUS, !sameText(exported.status(), row.status()));
        differs(columns, MembersSheet.COL_LAST_ACTIVITY, !Objects.equals(exported.lastActivity(),
                date(row.lastActivity())) || exported.lastActivity() == null && row.lastActivity() != null);
        differs(columns, MembersSheet.COL_LAST_ACTIVITY_KIND,
                !sameText(exported.lastActivityKind(), row.lastActivityKind()));
        Long months = RowValidator.wholeNumber(row.monthsInactive());
        differs(columns, MembersSheet.COL_MONTHS_INACTIVE, months == null || months != exported.monthsInactive());
        return columns;
    }

    /** The rejection message naming the columns (at most eight headers: well within the message column). */
    static String message(List<String> columns) {
        return "The row's values differ from the export in: " + String.join(", ", columns) + ".";
    }

    private static void differs(List<String> columns, int column, boolean differs) {
        if (differs) {
            columns.add(MembersSheet.HEADERS.get(column));
        }
    }

    /** An empty cell is the export's empty value (the export writes no cell for it). */
    private static boolean sameText(String exported, String uploaded) {
        return Objects.equals(emptyToNull(exported), emptyToNull(uploaded));
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static LocalDate date(String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        }
        catch (DateTimeParseException ex) {
            return null;
        }
    }
}
