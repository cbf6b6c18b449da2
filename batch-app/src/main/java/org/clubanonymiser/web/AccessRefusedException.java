package org.clubanonymiser.web;

import org.clubanonymiser.support.UserAccess.Decision;

/** A request the signed-in user may not make (HTTP 403); the decision is a code, never personal data. */
public class AccessRefusedException extends RuntimeException {

    private final Decision decision;

    public AccessRefusedException(Decision decision) {
        super("Access refused: " + decision);
        this.decision = decision;
    }

    public Decision decision() {
        return decision;
    }
}
