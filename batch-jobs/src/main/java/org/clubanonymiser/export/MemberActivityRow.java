package org.clubanonymiser.export;

import org.clubanonymiser.eligibility.MemberActivity;

/**
 * One member as the export's reader sees it: what eligibility is judged on, plus what the workbook shows to recognise
 * the person. Holds names: never log it ({@link #toString()} shows the id only).
 *
 * @param activityRead false when the reader left the activity dates unread ({@code null}) because the member's standing
 *        alone fails the rules ({@link org.clubanonymiser.eligibility.EligibilitySql#CANDIDATE_ACTIVITY_COLUMNS})
 */
record MemberActivityRow(MemberActivity activity, boolean activityRead, String memberNumber, String lastName,
        String firstName) {

    @Override
    public String toString() {
        return "MemberActivityRow[memberId=" + activity.memberId() + "]";
    }
}
