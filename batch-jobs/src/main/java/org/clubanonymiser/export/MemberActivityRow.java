package org.clubanonymiser.export;

import org.clubanonymiser.eligibility.MemberActivity;

/**
 * One member as the export's reader sees it: what eligibility is judged on, plus what the workbook shows to recognise
 * the person. Holds names: never log it ({@link #toString()} shows the id only).
 */
record MemberActivityRow(MemberActivity activity, String memberNumber, String lastName, String firstName) {

    @Override
    public String toString() {
        return "MemberActivityRow[memberId=" + activity.memberId() + "]";
    }
}
