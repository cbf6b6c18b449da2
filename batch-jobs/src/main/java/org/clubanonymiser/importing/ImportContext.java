package org.clubanonymiser.importing;

import java.time.LocalDate;

import org.clubanonymiser.eligibility.InactivityPeriod;

/**
 * What the anonymising step knows about the import it runs: its record, the accepted export and the requesting user.
 * Loaded from the database by the import id the gate put in the job execution context. Nothing personal.
 * {@code dryRun}: validate and re-check only, change nothing (see {@link ImportJobParameters#DRY_RUN}).
 */
record ImportContext(long importId, long exportId, long clubId, InactivityPeriod period, LocalDate cutoff,
        String requestedBy, boolean dryRun) {

    /** The context of a real (not dry-run) import. */
    ImportContext(long importId, long exportId, long clubId, InactivityPeriod period, LocalDate cutoff,
            String requestedBy) {
        this(importId, exportId, clubId, period, cutoff, requestedBy, false);
    }
}
