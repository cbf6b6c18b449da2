package org.clubanonymiser.anonymisation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The counter {@value #REQUESTS}: single-member anonymisation requests by club (the id, or {@code none} when the
 * member is unknown) and outcome ({@code ANONYMISED}, {@code ALREADY_ANONYMISED} or the {@link SingleRefusal} code).
 * Counted once the request's transaction has ended, so a rolled-back attempt is not counted. Tags hold ids and codes
 * only.
 */
public class SingleMemberMetrics {

    public static final String REQUESTS = "anonymiser.single.requests";

    private final MeterRegistry registry;

    public SingleMemberMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void request(Long clubId, String outcome) {
        Counter.builder(REQUESTS)
            .description("Single-member anonymisation requests, by club and outcome (or refusal code)")
            .tag("club", clubId == null ? "none" : Long.toString(clubId))
            .tag("outcome", outcome)
            .register(registry)
            .increment();
    }
}
