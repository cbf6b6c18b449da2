package org.clubanonymiser.importing;

import java.time.LocalDate;

import org.clubanonymiser.eligibility.InactivityPeriod;

/**
 * What the anonymising step knows about the import it runs: its record, the accepted export and the requesting user.
 * Loaded from the database by the import id the gate put in the job execution context. Nothing personal.
 */
record ImportContext(long importId, long exportId, long clubId, InactivityPeriod period, LocalDate cutoff,
        String requestedBy) {
}
