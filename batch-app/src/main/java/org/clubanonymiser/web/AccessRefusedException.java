package org.clubanonymiser.web;

import org.clubanonymiser.support.UserAccess.Decision;

import org.springframework.http.HttpStatus;

/**
 * A request the signed-in user may not make (HTTP 403); the decision is a code, never personal data. A refusal about
 * an existing record of another club is {@linkplain #hidden(Decision, String, long) hidden}: answered exactly as an
 * unknown id (404 {@code NOT_FOUND}), so that ids do not leak across clubs, and still logged as the refusal it is.
 */
public class AccessRefusedException extends RuntimeException {

    private final Decision decision;

    private final transient ApiException answer;

    public AccessRefusedException(Decision decision) {
        this(decision, null);
    }

    private AccessRefusedException(Decision decision, ApiException answer) {
        super("Access refused: " + decision);
        this.decision = decision;
        this.answer = answer;
    }

    /** A refusal answered as "there is no {@code what} {@code id}" (404), like an unknown id. */
    public static AccessRefusedException hidden(Decision decision, String what, long id) {
        return new AccessRefusedException(decision, ApiException.notFound(what, id));
    }

    public Decision decision() {
        return decision;
    }

    /** What the client is told: a 404 for a hidden refusal, else 403 with the decision's code. */
    public ApiException answer() {
        return answer != null ? answer : new ApiException(HttpStatus.FORBIDDEN, decision.name());
    }
}
