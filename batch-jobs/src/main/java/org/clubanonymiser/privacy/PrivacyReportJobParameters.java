package org.clubanonymiser.privacy;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Set;

import org.clubanonymiser.support.execution.JobParameterValues;
import org.clubanonymiser.support.execution.JobParametersDefaults;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The parameters of {@code privacyReportJob}: exactly one scope, {@code importId=<id>}, {@code memberId=<id>} or
 * {@code from=<YYYY-MM-DD> [to=<YYYY-MM-DD>] [clubId=<id>]} (both days included; {@code to} defaults to the launch
 * day), plus {@code generatedAt}, added at launch so that every run is a new job instance ({@link #defaults}).
 */
record PrivacyReportJobParameters(ReportScope scope) {

    static final String JOB_NAME = "privacyReportJob";

    static final String IMPORT_ID = "importId";

    static final String MEMBER_ID = "memberId";

    static final String FROM = "from";

    static final String TO = "to";

    static final String CLUB_ID = "clubId";

    static final String GENERATED_AT = "generatedAt";

    private static final String POSITIVE_NUMBER = "a positive whole number";

    /**
     * Parses and checks what needs no database.
     *
     * @throws InvalidJobParametersException with one message saying what is wrong
     */
    static PrivacyReportJobParameters from(JobParameters parameters) throws InvalidJobParametersException {
        Long importId = JobParameterValues.id(parameters, IMPORT_ID, POSITIVE_NUMBER);
        Long memberId = JobParameterValues.id(parameters, MEMBER_ID, POSITIVE_NUMBER);
        LocalDate from = JobParameterValues.date(parameters, FROM, "a date (YYYY-MM-DD)");
        LocalDate to = JobParameterValues.date(parameters, TO, "a date (YYYY-MM-DD)");
        Long clubId = JobParameterValues.id(parameters, CLUB_ID, POSITIVE_NUMBER);
        int scopes = (importId != null ? 1 : 0) + (memberId != null ? 1 : 0) + (from != null ? 1 : 0);
        if (scopes != 1) {
            throw new InvalidJobParametersException(
                    "Give exactly one of importId=<id>, memberId=<id> or from=<YYYY-MM-DD> [to=...] [clubId=<id>]");
        }
        if (from == null && (to != null || clubId != null)) {
            throw new InvalidJobParametersException("to and clubId go with from (a period report)");
        }
        if (importId != null) {
            return new PrivacyReportJobParameters(ReportScope.ofImport(importId));
        }
        if (memberId != null) {
            return new PrivacyReportJobParameters(ReportScope.ofMember(memberId));
        }
        if (to == null) {
            throw new InvalidJobParametersException("to is required (it defaults to the launch day)");
        }
        if (to.isBefore(from)) {
            throw new InvalidJobParametersException("to (" + to + ") is before from (" + from + ")");
        }
        return new PrivacyReportJobParameters(
                ReportScope.ofPeriod(from, to, clubId == null ? Set.of() : Set.of(clubId)));
    }

    /** Adds {@code generatedAt} (the launch time) and, to a period without {@code to}, the launch day. */
    static JobParametersDefaults defaults(Clock clock) {
        return JobParametersDefaults.of(JOB_NAME, given -> {
            LocalDateTime now = LocalDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
            JobParametersBuilder builder = new JobParametersBuilder(given);
            if (given.getParameter(GENERATED_AT) == null) {
                builder.addJobParameter(new JobParameter<>(GENERATED_AT, now, LocalDateTime.class, true));
            }
            if (given.getParameter(FROM) != null && given.getParameter(TO) == null) {
                builder.addString(TO, LocalDate.from(now).toString());
            }
            return builder.toJobParameters();
        });
    }

    /** Parameters well formed, and the import, member or club they name known; before any job instance exists. */
    record Validator(NamedParameterJdbcTemplate jdbc) implements JobParametersValidator {

        @Override
        public void validate(JobParameters parameters) throws InvalidJobParametersException {
            ReportScope scope = from(parameters).scope();
            switch (scope.kind()) {
                case IMPORT -> known("select count(*) from anonymisation_import where id = :id", scope.importId(),
                        "No import " + scope.importId());
                case MEMBER -> known("select count(*) from anonymisation_ledger where member_id = :id",
                        scope.memberId(), "Member " + scope.memberId() + " has not been anonymised");
                case PERIOD -> {
                    for (Long club : scope.clubIds()) {
                        known("select count(*) from club where id = :id", club, "No club " + club);
                    }
                }
            }
        }

        private void known(String sql, long id, String refusal) throws InvalidJobParametersException {
            Long count = jdbc.queryForObject(sql, new MapSqlParameterSource("id", id), Long.class);
            if (count == null || count == 0) {
                throw new InvalidJobParametersException(refusal);
            }
        }
    }
}
