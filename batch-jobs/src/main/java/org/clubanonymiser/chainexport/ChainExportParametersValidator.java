package org.clubanonymiser.chainexport;

import java.util.Optional;

import org.clubanonymiser.export.ExportParameters;
import org.clubanonymiser.support.UserAccess;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * Refuses a {@code chainExportJob} launch, with one clear message, when a parameter is missing or malformed (the same
 * checks as {@code exportJob}'s, through {@link ExportParameters}, without {@code clubId}), the user is unknown, may
 * not run a mass anonymisation, or has no club. The chain is the requesting user's clubs: a multi-site ADMIN's clubs
 * are the chain they manage. Run by {@link org.clubanonymiser.support.execution.JobLaunchGuard} before the job instance
 * exists. Read-only, thread-safe.
 */
class ChainExportParametersValidator implements JobParametersValidator {

    private final UserAccess userAccess;

    ChainExportParametersValidator(UserAccess userAccess) {
        this.userAccess = userAccess;
    }

    @Override
    public void validate(JobParameters parameters) throws InvalidJobParametersException {
        String user = ExportParameters.of(ChainExportRecordListener.NO_CLUB, parameters).requestedBy();
        Optional<UserAccess.AppUser> found = userAccess.find(user);
        if (found.isEmpty()) {
            throw new InvalidJobParametersException("Unknown user '" + user + "'");
        }
        if (!found.get().mayAnonymise()) {
            throw new InvalidJobParametersException("User '" + user
                    + "' may not run a mass anonymisation: neither ADMIN nor granted the right");
        }
        if (found.get().clubIds().isEmpty()) {
            throw new InvalidJobParametersException("User '" + user + "' has no club to export");
        }
    }
}
