package org.clubanonymiser.anonymisation;

import org.clubanonymiser.eligibility.Ineligibility;
import org.clubanonymiser.support.UserAccess;

/**
 * Why a single-member anonymisation was refused: each code names a rule, never the data (no name, no amount, no
 * date). Used as the API's error code, the job's exit status ({@code REFUSED:<code>}), the request record's
 * {@code refusal_code} and a metric tag.
 */
public enum SingleRefusal {
    /** The reason is longer than {@value SingleMemberAnonymiser#MAX_REASON_LENGTH} characters. */
    REASON_TOO_LONG,
    UNKNOWN_USER,
    /** The user is neither ADMIN nor granted the anonymisation right. */
    PERMISSION_DENIED,
    UNKNOWN_MEMBER,
    /** The member's club is not one of the user's clubs. */
    FOREIGN_CLUB,
    /** The member is a client. */
    CLIENT,
    /** The member owes money. */
    DEBT,
    /** The member has money to be paid back. */
    OVERPAYMENT,
    /** A booking starts (or was booked) from now on. */
    FUTURE_BOOKING,
    /** An instalment falls due today or later. */
    FUTURE_INSTALMENT,
    /** A visit or sale was recorded from the request's instant on: the member is active right now. */
    ACTIVE_NOW;

    public static SingleRefusal of(UserAccess.Decision decision) {
        return switch (decision) {
            case UNKNOWN_USER -> UNKNOWN_USER;
            case PERMISSION_DENIED -> PERMISSION_DENIED;
            case FOREIGN_CLUB -> FOREIGN_CLUB;
            case ALLOWED -> throw new IllegalArgumentException("not a refusal");
        };
    }

    /** The refusal for a failed eligibility rule ({@code ALREADY_ANONYMISED} is an outcome, not a refusal). */
    public static SingleRefusal of(Ineligibility reason) {
        return switch (reason) {
            case CLIENT -> CLIENT;
            case DEBT -> DEBT;
            case OVERPAYMENT -> OVERPAYMENT;
            case RECENT_BOOKING -> FUTURE_BOOKING;
            case RECENT_INSTALMENT -> FUTURE_INSTALMENT;
            case RECENT_VISIT, RECENT_PURCHASE, CREATED_AFTER_CUTOFF -> ACTIVE_NOW;
            case ALREADY_ANONYMISED -> throw new IllegalArgumentException("an outcome, not a refusal");
        };
    }
}
