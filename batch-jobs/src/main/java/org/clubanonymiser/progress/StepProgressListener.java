package org.clubanonymiser.progress;

import java.util.function.ToLongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * Registers a step with the {@link StepProgressMonitor} while it runs. One instance per step bean, shared by the
 * partitions that run it at once: everything per execution lives in the monitor. For a chunk step, the items done are
 * the step execution's read count, taken by the step's own thread before each chunk (so it lags a chunk behind, and
 * is only ever what committed chunks read), plus what earlier runs of a restarted step read (its reader's saved
 * {@code read.count}). A tasklet counts its own items through {@link StepProgressMonitor#current()}. A failure to
 * compute the total leaves it unknown and never fails the step.
 */
public class StepProgressListener implements StepExecutionListener, ChunkListener<Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(StepProgressListener.class);

    private final StepProgressMonitor monitor;

    private final String unit;

    private final String readerName;

    private final ToLongFunction<StepExecution> total;

    StepProgressListener(StepProgressMonitor monitor, String unit, String readerName,
            ToLongFunction<StepExecution> total) {
        this.monitor = monitor;
        this.unit = unit;
        this.readerName = readerName;
        this.total = total;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        // The framework's readers save their position with putInt (a restart once failed on getLong here): any Number.
        long baseline = readerName != null
                && stepExecution.getExecutionContext().get(readerName + ".read.count") instanceof Number read
                        ? read.longValue() : 0;
        long known = ProgressEstimate.UNKNOWN;
        if (total != null) {
            try {
                known = total.applyAsLong(stepExecution);
            }
            catch (RuntimeException ex) {
                log.warn("Progress of {}: total unknown ({})", stepExecution.getStepName(),
                        ex.getClass().getSimpleName());
            }
        }
        // The total first: the first line, an interval later, already has it.
        monitor.start(stepExecution, unit, baseline).total(known);
    }

    @Override
    public void beforeChunk(Chunk<Object> chunk) {
        StepContext context = StepSynchronizationManager.getContext();
        if (context != null) {
            StepExecution stepExecution = context.getStepExecution();
            monitor.of(stepExecution).done(stepExecution.getReadCount());
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (readerName != null) {
            monitor.of(stepExecution).done(stepExecution.getReadCount());
        }
        monitor.finish(stepExecution);
        return null;
    }
}
