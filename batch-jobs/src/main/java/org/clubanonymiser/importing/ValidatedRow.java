package org.clubanonymiser.importing;

/** A row that passed every check of {@link RowValidator}: what the anonymising writer needs, nothing personal. */
public record ValidatedRow(long rowNumber, long memberId, String memberNumber) {
}
