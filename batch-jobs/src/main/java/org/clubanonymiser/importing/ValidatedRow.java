package org.clubanonymiser.importing;

/**
 * A row that passed every check of {@link RowValidator}: what the anonymising writer needs, nothing personal.
 *
 * @param alreadyAnonymised the row names a member anonymised already (by an earlier import of the export, say): the
 *                          writer reports it {@code ALREADY_ANONYMISED} (informational) instead of anonymising it
 */
public record ValidatedRow(long rowNumber, long memberId, String memberNumber, boolean alreadyAnonymised) {

    /** A row to anonymise. */
    public ValidatedRow(long rowNumber, long memberId, String memberNumber) {
        this(rowNumber, memberId, memberNumber, false);
    }
}
