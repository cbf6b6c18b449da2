package org.clubanonymiser.importing;

import java.util.EnumSet;
import java.util.Set;

/**
 * Why one uploaded row was not anonymised (SPEC §4), with the error file's message and one-line advice ("What to
 * do"). The row is recorded in {@code anonymisation_import_rejection} and, unless {@link #informational()}, listed in
 * the error file and counted as rejected; the import goes on. Messages and advice never name a person.
 */
public enum RowRejection {

    MISSING_ID("The member ID or the member number is empty.",
            "Copy the member ID and number back from the export, or delete the row to keep the member."),
    DUPLICATE_ROW("This member already appears in an earlier row of the file.",
            "Nothing: the earlier row of this member decides. Delete this copy before the next import."),
    UNKNOWN_MEMBER("No member has this member ID.",
            "Check the member ID against the export, or delete the row."),
    ID_NUMBER_MISMATCH("The member number does not belong to this member ID.",
            "Restore the member ID and number of the export's row, or delete the row to keep the member."),
    OTHER_CLUB("This member belongs to another club than the export's.",
            "Delete the row: import each club's members from that club's export."),
    NOT_IN_EXPORT("This member is not in the export the file comes from: rows may not be added.",
            "Delete the row; to anonymise this member, run a new export that includes them."),
    CONTENT_MODIFIED("The row's values differ from the export: rows may not be edited.",
            "Restore the row's values as exported (or delete the row to keep the member), then import again."),
    ALREADY_ANONYMISED("This member is already anonymised.",
            "Nothing: the member was anonymised before this import."),
    NO_LONGER_ELIGIBLE("This member is no longer eligible for anonymisation and was kept.",
            "Nothing: the member is kept. Run a new export later if they become eligible again.");

    /**
     * The codes that leave the member's manifest row open when an import completes: the admin can correct the row
     * and import the export again. Every other code resolves the member (anonymised, no longer eligible, or a row
     * that could never have anonymised an exported member). A code added later keeps rows open until it is listed
     * here otherwise: the safe side is to let the admin correct, not to erase.
     */
    private static final Set<RowRejection> RESOLVING = EnumSet.of(DUPLICATE_ROW, UNKNOWN_MEMBER, OTHER_CLUB,
            NOT_IN_EXPORT, ALREADY_ANONYMISED, NO_LONGER_ELIGIBLE);

    private final String message;

    private final String advice;

    RowRejection(String message, String advice) {
        this.message = message;
        this.advice = advice;
    }

    public String message() {
        return message;
    }

    /** What the admin should do about such a row: the error file's "What to do" column. */
    public String advice() {
        return advice;
    }

    /**
     * Not an error: the row's member is anonymised, which is what the row asked for. Counted apart
     * ({@code rows_already_anonymised}), left out of the error file, and no reason for {@code COMPLETED_WITH_ERRORS}.
     */
    public boolean informational() {
        return this == ALREADY_ANONYMISED;
    }

    /** Whether the member of a row rejected so stays open for a corrected import (see {@link #RESOLVING}). */
    public boolean keepsRowOpen() {
        return !RESOLVING.contains(this);
    }

    /** The codes that keep a member's row open, as stored in {@code anonymisation_import_rejection.code}. */
    public static Set<String> openingCodes() {
        return EnumSet.complementOf(EnumSet.copyOf(RESOLVING)).stream().map(Enum::name)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
