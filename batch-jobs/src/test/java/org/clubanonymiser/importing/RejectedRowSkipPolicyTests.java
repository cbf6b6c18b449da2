package org.clubanonymiser.importing;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.step.skip.SkipLimitExceededException;
import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RejectedRowSkipPolicyTests {

    static final RowRejectedException REJECTED = new RowRejectedException(RowRejection.CONTENT_MODIFIED, 4, 103L,
            "M103");

    @Test
    void skipsRejectedRowsUpToTheLimitCountingEarlierRuns() {
        RejectedRowSkipPolicy firstRun = new RejectedRowSkipPolicy(2, 0);
        assertThat(firstRun.shouldSkip(REJECTED, 0)).isTrue();
        assertThat(firstRun.shouldSkip(REJECTED, 1)).isTrue();
        assertThatThrownBy(() -> firstRun.shouldSkip(REJECTED, 2)).isInstanceOf(SkipLimitExceededException.class)
            .hasCause(REJECTED);

        RejectedRowSkipPolicy restart = new RejectedRowSkipPolicy(2, 2);
        assertThatThrownBy(() -> restart.shouldSkip(REJECTED, 0)).isInstanceOf(SkipLimitExceededException.class);
        assertThat(new RejectedRowSkipPolicy(2, 1).shouldSkip(REJECTED, 0)).isTrue();
    }

    @Test
    void neverSkipsAnythingElse() {
        RejectedRowSkipPolicy policy = new RejectedRowSkipPolicy(1_000_000, 0);
        assertThat(policy.shouldSkip(new DataIntegrityViolationException("ledger"), 0)).isFalse();
        assertThat(policy.shouldSkip(new IllegalStateException(), 0)).isFalse();
    }

    @Test
    void aLimitOfZeroSkipsNothing() {
        assertThatThrownBy(() -> new RejectedRowSkipPolicy(0, 0).shouldSkip(REJECTED, 0))
            .isInstanceOf(SkipLimitExceededException.class);
    }
}
