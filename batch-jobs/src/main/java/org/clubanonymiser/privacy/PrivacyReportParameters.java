package org.clubanonymiser.privacy;

import java.time.LocalDate;
import java.util.Set;

import org.clubanonymiser.support.execution.JobParameterValues;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The parameters of {@code privacyReportJob}: exactly one scope, {@code importId=<id>}, {@code memberId=<id>} or
 * {@code from=<YYYY-MM-DD> [to=<YYYY-MM-DD>] [clubId=<id>]} (both days included; {@code to} defaults to the launch
 * day), plus {@code generatedAt}, added at launch so that every run is a new job instance.
 */
final class PrivacyReportParameters {

    static final String JOB_NAME = "privacyReportJob";

    static final String IMPORT_ID = "importId";

    static final String MEMBER_ID = "memberId";

    static final String FROM = "from";

    static final String TO = "to";

    static final String CLUB_ID = "clubId";

    static final String GENERATED_AT = "generatedAt";

    private static final String POSITIVE_NUMBER = "a positive whole number";

    private PrivacyReportParameters() {
    }

    static ReportScope scope(JobParameters parameters) throws InvalidJobParametersException {
        Long importId = id(parameters, IMPORT_ID);
        Long memberId = id(parameters, MEMBER_ID);
        LocalDate from = date(parameters, FROM);
        LocalDate to = date(parameters, TO);
        Long clubId = id(parameters, CLUB_ID);
        int scopes = (importId != null ? 1 : 0) + (memberId != null ? 1 : 0) + (from != null ? 1 : 0);
        if (scopes != 1) {
            throw new InvalidJobParametersException(
                    "Give exactly one of importId=<id>, memberId=<id> or from=<YYYY-MM-DD> [to=...] [clubId=<id>]");
        }
        if (from == null && (to != null || clubId != null)) {
            throw new InvalidJobParametersException("to and clubId go with from (a period report)");
        }
        if (importId != null) {
            return ReportScope.ofImport(importId);
        }
        if (memberId != null) {
            return ReportScope.ofMember(memberId);
        }
        if (to == null) {
            throw new InvalidJobParametersException("to is required (it defaults to the launch day)");
        }
        if (to.isBefore(from)) {
            throw new InvalidJobParametersException("to (" + to + ") is before from (" + from + ")");
        }
        return ReportScope.ofPeriod(from, to, clubId == null ? Set.of() : Set.of(clubId));
    }

    private static Long id(JobParameters parameters, String name) throws InvalidJobParametersException {
        Long id = JobParameterValues.wholeNumber(parameters, name, POSITIVE_NUMBER);
        if (id != null && id < 0) {
            throw JobParameterValues.refused(name, POSITIVE_NUMBER, JobParameterValues.value(parameters, name));
        }
        return id;
    }

    private static LocalDate date(JobParameters parameters, String name) throws InvalidJobParametersException {
        return JobParameterValues.date(parameters, name, "a date (YYYY-MM-DD)");
    }
}
