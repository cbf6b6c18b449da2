package org.clubanonymiser.eligibility;

import java.time.LocalDate;

/**
 * The verdict of {@link EligibilityRules} on one member.
 *
 * @param reason          {@code null} when eligible, else the first rule that failed
 * @param lastActivity    date of the latest activity of any kind, {@code null} when none
 * @param lastActivityKind its kind, {@link ActivityKind#NONE} when none
 * @param monthsInactive  whole months from the latest activity (or creation, when none) to {@code asOf}
 */
public record Eligibility(Ineligibility reason, LocalDate lastActivity, ActivityKind lastActivityKind,
        int monthsInactive) {

    public boolean eligible() {
        return reason == null;
    }
}
