package org.clubanonymiser.export;

import org.clubanonymiser.support.UserAccess;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Refuses an export launch, with one clear message, when: a parameter is missing or malformed, the months are not
 * one of 12, 18, … 84, the name is empty or longer than 100 characters, the club is unknown, the user is unknown, the
 * user is neither {@code ADMIN} nor granted the mass anonymisation, or the club is not among the user's clubs.
 * Run by {@link org.clubanonymiser.support.execution.JobLaunchGuard} before the job instance exists. Read-only, thread-safe.
 */
class ExportParametersValidator implements JobParametersValidator {

    private final JdbcTemplate jdbc;

    private final UserAccess userAccess;

    ExportParametersValidator(JdbcTemplate jdbc, UserAccess userAccess) {
        this.jdbc = jdbc;
        this.userAccess = userAccess;
    }

    @Override
    public void validate(JobParameters parameters) throws InvalidJobParametersException {
        ExportParameters export = ExportParameters.of(parameters);
        Long clubs = jdbc.queryForObject("select count(*) from club where id = ?", Long.class, export.clubId());
        if (clubs == null || clubs == 0) {
            throw new InvalidJobParametersException("Unknown club " + export.clubId());
        }
        String user = export.requestedBy();
        switch (userAccess.check(user, export.clubId())) {
            case ALLOWED -> {
            }
            case UNKNOWN_USER -> throw new InvalidJobParametersException("Unknown user '" + user + "'");
            case PERMISSION_DENIED -> throw new InvalidJobParametersException("User '" + user
                    + "' may not run a mass anonymisation: neither ADMIN nor granted the right");
            case FOREIGN_CLUB -> throw new InvalidJobParametersException("Club " + export.clubId()
                    + " is not among the clubs of user '" + user + "'");
        }
    }
}
