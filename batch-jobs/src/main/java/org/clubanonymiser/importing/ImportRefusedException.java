package org.clubanonymiser.importing;

/**
 * A file-level refusal found by the gate. The message is the refusal's own, plus a detail that names no person (a
 * part name, a size, a header, an export id).
 */
class ImportRefusedException extends Exception {

    private final ImportRefusal refusal;

    ImportRefusedException(ImportRefusal refusal, String detail) {
        super(detail == null ? refusal.message() : refusal.message() + " (" + detail + ")");
        this.refusal = refusal;
    }

    ImportRefusedException(ImportRefusal refusal, String detail, Throwable cause) {
        this(refusal, detail);
        initCause(cause);
    }

    ImportRefusal refusal() {
        return refusal;
    }
}
