package org.clubanonymiser.anonymisation;

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
public final class AnonymiseMemberJobParameters {

    public static final String JOB_NAME = "anonymiseMemberJob";

    public static final String MEMBER_ID = "memberId";

    public static final String REQUESTED_BY = "requestedBy";

    public static final String REASON = "reason";

    private AnonymiseMemberJobParameters() {
    }

    public static JobParameters of(long memberId, String requestedBy, String reason) {
        JobParametersBuilder builder = new JobParametersBuilder().addString(MEMBER_ID, Long.toString(memberId))
            .addString(REQUESTED_BY, requestedBy);
        if (reason != null) {
            builder.addString(REASON, reason, false);
        }
        return builder.toJobParameters();
    }

    static long memberId(JobParameters parameters) {
        return Long.parseLong(parameters.getString(MEMBER_ID).trim());
    }

    /** Refuses a launch before any instance is created (see {@code JobLaunchGuard}). */
    static final class Validator implements JobParametersValidator {

        @Override
        public void validate(JobParameters parameters) throws InvalidJobParametersException {
            String memberId = parameters.getString(MEMBER_ID);
            if (memberId == null || !memberId.trim().matches("\\d{1,18}")) {
                throw new InvalidJobParametersException(JOB_NAME + " needs memberId=<the member's id, a number>");
            }
            String requestedBy = parameters.getString(REQUESTED_BY);
            if (requestedBy == null || requestedBy.isBlank()) {
                throw new InvalidJobParametersException(JOB_NAME + " needs requestedBy=<username>");
            }
            String reason = parameters.getString(REASON);
            if (reason != null && reason.strip().length() > SingleMemberAnonymiser.MAX_REASON_LENGTH) {
                throw new InvalidJobParametersException(JOB_NAME + ": reason is limited to "
                        + SingleMemberAnonymiser.MAX_REASON_LENGTH + " characters");
            }
        }
    }
}
