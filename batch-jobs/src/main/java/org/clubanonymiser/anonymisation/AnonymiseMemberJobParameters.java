package org.clubanonymiser.anonymisation;

import org.clubanonymiser.support.execution.JobParameterValues;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * {@code anonymiseMemberJob}'s parameters: {@code memberId} and {@code requestedBy} (identifying: the same request
 * relaunched restarts its instance), {@code reason} (optional, non-identifying, at most
 * {@value SingleMemberAnonymiser#MAX_REASON_LENGTH} characters; it also lands in the job repository's parameters, so
 * give a reference such as a ticket number, never personal data).
 */
public record AnonymiseMemberJobParameters(long memberId, String requestedBy, String reason) {

    public static final String JOB_NAME = "anonymiseMemberJob";

    public static final String MEMBER_ID = "memberId";

    public static final String REQUESTED_BY = "requestedBy";

    public static final String REASON = "reason";

    /** The parameters of a launch: {@code reason} (when given) non-identifying. */
    public static JobParameters of(long memberId, String requestedBy, String reason) {
        JobParametersBuilder builder = new JobParametersBuilder().addString(MEMBER_ID, Long.toString(memberId))
            .addString(REQUESTED_BY, requestedBy);
        if (reason != null) {
            builder.addString(REASON, reason, false);
        }
        return builder.toJobParameters();
    }

    /**
     * Parses and checks the parameters (values as given: the service strips and checks them again).
     *
     * @throws InvalidJobParametersException with one message saying what is wrong
     */
    static AnonymiseMemberJobParameters from(JobParameters parameters) throws InvalidJobParametersException {
        String memberId = JobParameterValues.text(parameters, MEMBER_ID);
        if (memberId == null || !memberId.strip().matches("\\d{1,18}")) {
            throw new InvalidJobParametersException(JOB_NAME + " needs memberId=<the member's id, a number>");
        }
        String requestedBy = JobParameterValues.text(parameters, REQUESTED_BY);
        if (requestedBy == null || requestedBy.isBlank()) {
            throw new InvalidJobParametersException(JOB_NAME + " needs requestedBy=<username>");
        }
        String reason = JobParameterValues.text(parameters, REASON);
        if (reason != null && reason.strip().length() > SingleMemberAnonymiser.MAX_REASON_LENGTH) {
            throw new InvalidJobParametersException(JOB_NAME + ": reason is limited to "
                    + SingleMemberAnonymiser.MAX_REASON_LENGTH + " characters");
        }
        return new AnonymiseMemberJobParameters(Long.parseLong(memberId.strip()), requestedBy, reason);
    }

    /** Refuses a launch before any instance is created (see {@code JobLaunchGuard}). */
    record Validator() implements JobParametersValidator {

        @Override
        public void validate(JobParameters parameters) throws InvalidJobParametersException {
            from(parameters);
        }
    }
}
