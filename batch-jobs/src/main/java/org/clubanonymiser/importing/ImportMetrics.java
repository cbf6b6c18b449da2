package org.clubanonymiser.importing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The import's product counters, tagged with ids and codes only (never personal data):
 * <ul>
 * <li>{@value #ROWS}: uploaded rows by club and outcome ({@code ANONYMISED} or the {@link RowRejection} code);</li>
 * <li>{@value #REFUSALS}: refused files by {@link ImportRefusal} code.</li>
 * </ul>
 * Each increment waits for the commit of the transaction that recorded the outcome (a chunk, or the gate's
 * tasklet): a chunk rolled back and processed again counts once, when it finally commits, so the counters agree with
 * the import records. Dry runs are not counted (nothing was anonymised). Outside a transaction it counts at once.
 */
class ImportMetrics {

    static final String ROWS = "anonymiser.import.rows";

    static final String REFUSALS = "anonymiser.import.refusals";

    static final String ANONYMISED = "ANONYMISED";

    /** Counts nothing: what a dry run is given, so no caller tests for {@code null}. */
    static final ImportMetrics NONE = new ImportMetrics(null) {
        @Override
        void rows(long clubId, String outcome, long count) {
        }

        @Override
        void refusal(ImportRefusal code) {
        }
    };

    private final MeterRegistry registry;

    ImportMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts rows of a club with this outcome once the current transaction commits. */
    void rows(long clubId, String outcome, long count) {
        if (count <= 0) {
            return;
        }
        Counter counter = Counter.builder(ROWS)
            .description("Uploaded rows imported, by club and outcome (ANONYMISED or the rejection code)")
            .tag("club", Long.toString(clubId))
            .tag("outcome", outcome)
            .register(registry);
        afterCommit(() -> counter.increment(count));
    }

    /** Counts a refused file once the current transaction commits. */
    void refusal(ImportRefusal code) {
        Counter counter = Counter.builder(REFUSALS)
            .description("Import files refused, by refusal code")
            .tag("code", code.name())
            .register(registry);
        afterCommit(counter::increment);
    }

    private static void afterCommit(Runnable count) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            count.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                count.run();
            }
        });
    }
}
