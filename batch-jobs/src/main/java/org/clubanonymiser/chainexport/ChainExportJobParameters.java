package org.clubanonymiser.chainexport;

import java.time.LocalDate;

import org.clubanonymiser.export.ExportParameters;
import org.clubanonymiser.support.UserAccess;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * {@code chainExportJob}'s parameters: {@code exportJob}'s without {@code clubId} (each partition is one club of the
 * requesting user), parsed and checked by {@link ExportParameters} with the same rules and messages.
 */
record ChainExportJobParameters(int inactivityMonths, String exportName, String requestedBy, LocalDate asOf) {

    /** The club of the chain's parameters: none, each partition is one club. */
    private static final long NO_CLUB = 0;

    static ChainExportJobParameters from(JobParameters parameters) throws InvalidJobParametersException {
        ExportParameters export = ExportParameters.from(NO_CLUB, parameters);
        return new ChainExportJobParameters(export.inactivityMonths(), export.exportName(), export.requestedBy(),
                export.asOf());
    }

    /** The export of one club of the chain. */
    ExportParameters forClub(long clubId) {
        return new ExportParameters(clubId, inactivityMonths, exportName, requestedBy, asOf);
    }

    /**
     * Refuses a {@code chainExportJob} launch, with one clear message, when a parameter is missing or malformed (the
     * same checks as {@code exportJob}'s, without {@code clubId}), the user is unknown, may not run a mass
     * anonymisation, or has no club. The chain is the requesting user's clubs: a multi-site ADMIN's clubs are the
     * chain they manage. Run by {@link org.clubanonymiser.support.execution.JobLaunchGuard} before the job instance
     * exists. Read-only, thread-safe.
     */
    record Validator(UserAccess userAccess) implements JobParametersValidator {

        @Override
        public void validate(JobParameters parameters) throws InvalidJobParametersException {
            String user = from(parameters).requestedBy();
            if (ExportParameters.requireMayAnonymise(userAccess, user).clubIds().isEmpty()) {
                throw new InvalidJobParametersException("User '" + user + "' has no club to export");
            }
        }
    }
}
