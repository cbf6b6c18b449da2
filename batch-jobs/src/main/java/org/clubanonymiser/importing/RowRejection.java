package org.clubanonymiser.importing;

/**
 * Why one uploaded row was not anonymised. The row is recorded in {@code anonymisation_import_rejection}
 * and listed in the error file with {@link #message()}; the import goes on. Messages never name a person.
 */
public enum RowRejection {

    MISSING_ID("The member ID or the member number is empty."),
    DUPLICATE_ROW("This member already appears in an earlier row of the file."),
    UNKNOWN_MEMBER("No member has this member ID."),
    ID_NUMBER_MISMATCH("The member number does not belong to this member ID."),
    OTHER_CLUB("This member belongs to another club than the export's."),
    NOT_IN_EXPORT("This member is not in the export the file comes from: rows may not be added."),
    CONTENT_MODIFIED("The row's values differ from the export: rows may not be edited."),
    EXTRA_CONTENT("A cell beside the row, outside the export's columns, holds a value (a note?): the member was kept."),
    MARKED_ROW("The row is marked (a comment, a colour or strikethrough) unlike the other rows: the member was kept."),
    ALREADY_ANONYMISED("This member is already anonymised."),
    NO_LONGER_ELIGIBLE("This member is no longer eligible for anonymisation and was kept.");

    private final String message;

    RowRejection(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }
}
