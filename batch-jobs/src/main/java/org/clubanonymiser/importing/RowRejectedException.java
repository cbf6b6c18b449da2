package org.clubanonymiser.importing;

/**
 * A row the validator rejects: the only exception the anonymising step skips. Carries what the rejection table and
 * the error file show (row number, member id and number, code, message) and nothing else: its message holds no
 * name, so it may be logged.
 */
public class RowRejectedException extends RuntimeException {

    private final RowRejection code;

    private final long rowNumber;

    private final Long memberId;

    private final String memberNumber;

    private final String detail;

    public RowRejectedException(RowRejection code, long rowNumber, Long memberId, String memberNumber) {
        this(code, rowNumber, memberId, memberNumber, null);
    }

    /** @param detail replaces the code's standard message (it must name no person) */
    public RowRejectedException(RowRejection code, long rowNumber, Long memberId, String memberNumber,
            String detail) {
        super("Row " + rowNumber + " rejected: " + code + (memberId == null ? "" : " (member id " + memberId + ")"));
        this.code = code;
        this.rowNumber = rowNumber;
        this.memberId = memberId;
        this.memberNumber = memberNumber;
        this.detail = detail;
    }

    public RowRejection code() {
        return code;
    }

    public long rowNumber() {
        return rowNumber;
    }

    public Long memberId() {
        return memberId;
    }

    public String memberNumber() {
        return memberNumber;
    }

    /** The human message of the error file. */
    public String humanMessage() {
        return detail != null ? detail : code.message();
    }
}
