package org.clubanonymiser.eligibility;

/**
 * Why a member may not be anonymised, in the order {@link EligibilityRules} checks them. Used as a metric tag and in
 * the import's {@code NO_LONGER_ELIGIBLE} message: never carries anything about the person.
 */
public enum Ineligibility {
    ALREADY_ANONYMISED,
    CLIENT,
    DEBT,
    OVERPAYMENT,
    CREATED_AFTER_CUTOFF,
    RECENT_VISIT,
    RECENT_BOOKING,
    RECENT_PURCHASE,
    RECENT_INSTALMENT
}
