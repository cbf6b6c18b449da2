package org.clubanonymiser.importing;

/**
 * Why a whole file is refused before any member is touched, with the message the admin reads. The code is
 * the import record's {@code failure_code} and the job's exit code ({@code REFUSED:<code>}); messages never name a
 * person.
 */
public enum ImportRefusal {

    /** The file is no longer the one the import was launched with (its SHA-256 differs from {@code fileChecksum}). */
    FILE_CHANGED("The file changed since this import was launched (its checksum differs): launch the import again"
            + " with the new file."),
    PERMISSION_DENIED("The user may not run a mass anonymisation: an ADMIN, or a user granted the right, must import"
            + " the file."),
    NOT_XLSX("The file is not an Excel workbook (.xlsx)"),
    UNSAFE_FILE("The file was refused as unsafe"),
    UNKNOWN_EXPORT("The file does not come from a known, completed export of this application: import the workbook"
            + " of an export, re-saved."),
    FOREIGN_CLUB("The file's export belongs to a club the user may not act on."),
    EXPORT_ALREADY_IMPORTED("Every row of this export has already been imported (anonymised, kept or no longer"
            + " eligible): run a new export."),
    EXPORT_EXPIRED("This export is too old or its file was deleted (eligibility has drifted since): run a new"
            + " export."),
    NOT_RESAVED("The file is byte-identical to the export: open it, review it and save it before importing it."),
    LAYOUT_CHANGED("The Members sheet's header row differs from the export's (renamed, removed, added or reordered"
            + " columns): import the workbook with its layout unchanged."),
    HIDDEN_ROWS("The Members sheet has hidden or filtered-out rows, and hiding a row is not a decision the import can"
            + " read: unhide or delete the hidden rows, then save again. No member was touched.");

    private final String message;

    ImportRefusal(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }

    /** The job's exit code for this refusal. */
    public String exitCode() {
        return "REFUSED:" + name();
    }
}
