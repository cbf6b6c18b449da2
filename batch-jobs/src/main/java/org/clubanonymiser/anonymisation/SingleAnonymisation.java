package org.clubanonymiser.anonymisation;

import java.time.LocalDateTime;

/**
 * The answer to one single-member anonymisation request; nothing personal in it.
 *
 * @param refusal      the rule that refused it ({@link Outcome#REFUSED} only)
 * @param requestId    the {@code anonymisation_request} row, {@code null} when nothing was recorded (already
 *                     anonymised, or refused before the member was looked at)
 * @param anonymisedAt when the member was anonymised (by this request or an earlier one), else {@code null}
 */
public record SingleAnonymisation(long memberId, Outcome outcome, SingleRefusal refusal, Long requestId,
        LocalDateTime anonymisedAt, String planVersion) {

    public enum Outcome {
        /** Anonymised by this request. */
        ANONYMISED,
        /** Already anonymised before: nothing changed. */
        ALREADY_ANONYMISED,
        /** Refused: nothing changed but the request record. */
        REFUSED
    }

    /** The code of the outcome: {@code ANONYMISED}, {@code ALREADY_ANONYMISED} or the refusal's. */
    public String code() {
        return outcome == Outcome.REFUSED ? refusal.name() : outcome.name();
    }
}
