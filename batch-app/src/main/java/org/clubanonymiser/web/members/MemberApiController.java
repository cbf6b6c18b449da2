package org.clubanonymiser.web.members;

import java.time.LocalDateTime;

import org.clubanonymiser.anonymisation.SingleAnonymisation;
import org.clubanonymiser.anonymisation.SingleMemberAnonymiser.Channel;
import org.clubanonymiser.web.ServerMode;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/members/{id}/anonymisation} {@code {"reason": "..."}} (body and reason optional): anonymises one
 * member. 200 with the outcome ({@code ANONYMISED}, or {@code ALREADY_ANONYMISED} for a second request: nothing
 * changed); refusals are the API's errors with the rule's code (see {@link Members#anonymise}).
 */
@ServerMode
@RestController
class MemberApiController {

    /** The request's body. */
    record AnonymisationRequest(String reason) {
    }

    /** The answer: ids, codes and dates only. */
    record AnonymisationAnswer(long memberId, String outcome, LocalDateTime anonymisedAt, Long requestId,
            String planVersion) {

        static AnonymisationAnswer of(SingleAnonymisation outcome) {
            return new AnonymisationAnswer(outcome.memberId(), outcome.code(), outcome.anonymisedAt(),
                    outcome.requestId(), outcome.planVersion());
        }
    }

    private final Members members;

    MemberApiController(Members members) {
        this.members = members;
    }

    @PostMapping("/api/members/{id}/anonymisation")
    AnonymisationAnswer anonymise(@PathVariable long id,
            @RequestBody(required = false) AnonymisationRequest request) {
        return AnonymisationAnswer.of(members.anonymise(id, request == null ? null : request.reason(), Channel.API));
    }
}
