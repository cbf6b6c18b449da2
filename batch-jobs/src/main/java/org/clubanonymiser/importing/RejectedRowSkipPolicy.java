package org.clubanonymiser.importing;

import org.springframework.batch.core.step.skip.SkipLimitExceededException;
import org.springframework.batch.core.step.skip.SkipPolicy;

/**
 * The anonymising step's skip rule: a {@link RowRejectedException} (a row the validator rejects, recorded and listed
 * in the error file) is skipped, anything else fails the step; and at most {@code anonymiser.import.skip-limit}
 * rejected rows per import, counting the rows skipped by the import's earlier runs. Spring Batch counts skips per
 * step execution, so without that a restart would start a new allowance and complete an import its limit had
 * stopped. The rows the writer keeps ({@code NO_LONGER_ELIGIBLE}, {@code ALREADY_ANONYMISED} after validation) are
 * not skips and do not count: they tell what happened to a member since the export, not what is wrong with the file.
 * Stateless once built (one instance per step execution).
 *
 * @param limit         {@code anonymiser.import.skip-limit}
 * @param skippedBefore rows skipped by the committed chunks of the import's earlier runs of the step
 */
record RejectedRowSkipPolicy(long limit, long skippedBefore) implements SkipPolicy {

    @Override
    public boolean shouldSkip(Throwable t, long skipCount) {
        if (!(t instanceof RowRejectedException)) {
            return false;
        }
        if (skippedBefore + skipCount < limit) {
            return true;
        }
        throw new SkipLimitExceededException(limit, t);
    }
}
