package org.clubanonymiser.eligibility;

/** The kind of a member's latest activity, as the export's column G shows it. */
public enum ActivityKind {
    VISIT, BOOKING, PURCHASE, INSTALMENT, NONE
}
