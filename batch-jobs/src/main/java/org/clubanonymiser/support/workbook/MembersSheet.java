package org.clubanonymiser.support.workbook;

import java.util.List;

/**
 * The exported workbook's layout (docs/reference.md#the-exported-workbook), shared by the export that writes it and the
 * import that reads it back. Changing anything here is a format change: bump {@link #FORMAT_VERSION}.
 */
public final class MembersSheet {

    private MembersSheet() {
    }

    public static final int FORMAT_VERSION = 1;

    /** The first sheet: a header row, then one row per exported member ordered by member id. */
    public static final String SHEET_NAME = "Members";

    /**
     * A very hidden sheet holding the export's identity as key/value rows (column A key, column B value), a copy of
     * the custom document properties: either one surviving a re-save is enough for the import.
     */
    public static final String IDENTITY_SHEET_NAME = "ExportIdentity";

    public static final List<String> HEADERS = List.of("Member ID", "Member number", "Last name", "First name",
            "Status", "Last activity", "Last activity kind", "Months inactive");

    public static final int COL_MEMBER_ID = 0;
    public static final int COL_MEMBER_NUMBER = 1;
    public static final int COL_LAST_NAME = 2;
    public static final int COL_FIRST_NAME = 3;
    public static final int COL_STATUS = 4;
    public static final int COL_LAST_ACTIVITY = 5;
    public static final int COL_LAST_ACTIVITY_KIND = 6;
    public static final int COL_MONTHS_INACTIVE = 7;

    /** Date format of column F. */
    public static final String DATE_FORMAT = "yyyy-mm-dd";
}
