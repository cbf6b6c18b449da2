package org.clubanonymiser.progress;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.clubanonymiser.support.execution.JobLoggingContext;

import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.DisposableBean;

/**
 * Watches the long steps while they run: each watched step execution gets a {@link StepProgress}, logged every
 * {@code anonymiser.progress.interval} from its start by one daemon thread ("progress"), and once more when it ends;
 * and the same figures as gauges per job and step (see {@link #GAUGES}). Steps are watched through the
 * {@link StepProgressListener} their configuration registers ({@link #listener}).
 * <p>
 * Gauges, tagged {@code job.name} and {@code step.name} only: {@value #PREFIX}{@code .done}, {@code .expected} (the
 * total, NaN while unknown: Prometheus reserves the {@code _total} suffix for counters), {@code .rate} (items per second), {@code .elapsed} and {@code .remaining} (seconds, NaN while unknown).
 * No execution id, club or partition in the tags: a server runs jobs for years, and a series per execution would grow
 * without bound; the job and step names are a short fixed list. The executions of one step running in this process
 * at once (a chain export's club partitions, two clubs' imports launched from the web) are summed; the figures of the
 * last run stay until the same step starts again. Which execution a task process ran is told by the Pushgateway's
 * grouping key, one group per execution, not by a tag.
 * <p>
 * Log lines carry the job and execution id as every job line does (MDC key {@value JobLoggingContext#KEY}), the step
 * execution's name (a partition's names its club id) and counts: never anything read from a row. Thread-safe.
 */
public class StepProgressMonitor implements DisposableBean {

    static final String PREFIX = "anonymiser.progress";

    static final List<String> GAUGES = List.of("done", "expected", "rate", "elapsed", "remaining");

    private static final Logger log = LoggerFactory.getLogger(StepProgressMonitor.class);

    private final Duration interval;

    private final MeterRegistry registry;

    private final LongSupplier nanoClock;

    private final Map<Long, Watched> running = new ConcurrentHashMap<>();

    private final Map<List<String>, StepGauges> gauges = new ConcurrentHashMap<>();

    private volatile ScheduledExecutorService reporter;

    public StepProgressMonitor(Duration interval, MeterRegistry registry) {
        this(interval, registry, System::nanoTime);
    }

    StepProgressMonitor(Duration interval, MeterRegistry registry, LongSupplier nanoClock) {
        this.interval = interval;
        this.registry = registry;
        this.nanoClock = nanoClock;
    }

    /**
     * A listener that watches the step it is registered on.
     *
     * @param unit       what the step counts, in the plural ("members", "rows")
     * @param readerName for a chunk step, its reader's name: a restarted step resumes after
     *                   {@code <readerName>.read.count} items, counted as done; {@code null} for a tasklet, which
     *                   reports its own count through {@link #current()}
     * @param total      the step's total, computed when it starts; {@code null} when the step tells it itself
     */
    public StepProgressListener listener(String unit, String readerName, ToLongFunction<StepExecution> total) {
        return new StepProgressListener(this, unit, readerName, total);
    }

    /** The progress of the step execution running on this thread, or {@link StepProgress#NONE}. */
    public StepProgress current() {
        StepContext context = StepSynchronizationManager.getContext();
        if (context == null) {
            return StepProgress.NONE;
        }
        return of(context.getStepExecution());
    }

    /** The progress of a watched step execution, or {@link StepProgress#NONE}. */
    StepProgress of(StepExecution stepExecution) {
        Watched watched = running.get(stepExecution.getId());
        return watched == null ? StepProgress.NONE : watched.progress();
    }

    StepProgress start(StepExecution stepExecution, String unit, long baseline) {
        StepProgress progress = new StepProgress(stepExecution.getJobExecution().getJobInstance().getJobName(),
                stepExecution.getJobExecutionId(), stepExecution.getStepName(), unit, baseline, nanoClock);
        gauges.computeIfAbsent(List.of(progress.jobName(), progress.baseStepName()), this::registerGauges)
            .add(stepExecution.getId(), progress);
        long period = interval.toNanos();
        ScheduledFuture<?> lines = reporter().scheduleWithFixedDelay(() -> report(progress, "at"), period, period,
                TimeUnit.NANOSECONDS);
        running.put(stepExecution.getId(), new Watched(progress, lines));
        return progress;
    }

    void finish(StepExecution stepExecution) {
        Watched watched = running.remove(stepExecution.getId());
        if (watched == null) {
            return;
        }
        watched.lines().cancel(false);
        watched.progress().finished();
        report(watched.progress(), stepExecution.getStatus().isUnsuccessful() ? "ended " + stepExecution.getStatus()
                + " at" : "ended at");
    }

    private void report(StepProgress progress, String verb) {
        String previous = MDC.get(JobLoggingContext.KEY);
        MDC.put(JobLoggingContext.KEY, progress.jobName() + "#" + progress.jobExecutionId());
        try {
            log.info("Progress {} {} {}", progress.stepName(), verb, progress.estimate().describe(progress.unit()));
        }
        catch (RuntimeException ex) {
            // A progress line must never disturb the job, nor stop the next lines.
            log.warn("Progress of {} not reported: {}", progress.stepName(), ex.getClass().getSimpleName());
        }
        finally {
            if (previous == null) {
                MDC.remove(JobLoggingContext.KEY);
            }
            else {
                MDC.put(JobLoggingContext.KEY, previous);
            }
        }
    }

    private ScheduledExecutorService reporter() {
        ScheduledExecutorService current = reporter;
        if (current == null) {
            synchronized (this) {
                if (reporter == null) {
                    reporter = Executors.newSingleThreadScheduledExecutor(task -> {
                        Thread thread = new Thread(task, "progress");
                        thread.setDaemon(true);
                        return thread;
                    });
                }
                current = reporter;
            }
        }
        return current;
    }

    private StepGauges registerGauges(List<String> key) {
        StepGauges step = new StepGauges();
        if (registry != null) {
            gauge(key, "done", "Items the step has done (earlier runs of a restarted step included)", null, step,
                    StepGauges::done);
            gauge(key, "expected", "Items the step has in all (NaN while unknown)", null, step, StepGauges::total);
            gauge(key, "rate", "Items per second over the step's run so far", null, step, StepGauges::rate);
            gauge(key, "elapsed", "Time since the step's run started", "seconds", step, StepGauges::elapsed);
            gauge(key, "remaining", "Estimated time left at the rate so far (NaN while unknown)", "seconds", step,
                    StepGauges::remaining);
        }
        return step;
    }

    private void gauge(List<String> key, String name, String description, String baseUnit, StepGauges step,
            ToDoubleFunction<StepGauges> value) {
        Gauge.builder(PREFIX + "." + name, step, value)
            .description(description)
            .baseUnit(baseUnit)
            .tag("job.name", key.get(0))
            .tag("step.name", key.get(1))
            .strongReference(true)
            .register(registry);
    }

    /** Stops the lines, and takes this monitor's gauges out of a registry that may outlive the context. */
    @Override
    public void destroy() {
        ScheduledExecutorService current = reporter;
        if (current != null) {
            current.shutdownNow();
        }
        if (registry != null) {
            registry.getMeters()
                .stream()
                .filter(meter -> meter.getId().getName().startsWith(PREFIX + "."))
                .forEach(registry::remove);
        }
    }

    private record Watched(StepProgress progress, ScheduledFuture<?> lines) {
    }

    /** The executions of one step in this process: the running ones and those of the latest job execution. */
    static final class StepGauges {

        private final Map<Long, StepProgress> executions = new ConcurrentHashMap<>();

        /**
         * A new execution replaces the finished ones of other job executions (the last run's figures); a finished
         * partition of the same job execution stays, so the sum covers all the clubs of a chain export.
         */
        synchronized void add(long stepExecutionId, StepProgress progress) {
            executions.values()
                .removeIf(other -> !other.isRunning() && other.jobExecutionId() != progress.jobExecutionId());
            executions.put(stepExecutionId, progress);
        }

        private List<ProgressEstimate> estimates() {
            return executions.values().stream().map(StepProgress::estimate).toList();
        }

        double done() {
            return estimates().stream().mapToLong(ProgressEstimate::done).sum();
        }

        double total() {
            List<ProgressEstimate> estimates = estimates();
            return estimates.stream().anyMatch(e -> e.total() == ProgressEstimate.UNKNOWN) ? Double.NaN
                    : estimates.stream().mapToLong(ProgressEstimate::total).sum();
        }

        double rate() {
            boolean anyRunning = executions.values().stream().anyMatch(StepProgress::isRunning);
            return executions.values()
                .stream()
                .filter(progress -> !anyRunning || progress.isRunning())
                .mapToDouble(progress -> progress.estimate().rate())
                .sum();
        }

        double elapsed() {
            return estimates().stream().mapToDouble(e -> e.elapsed().toNanos() / 1e9).max().orElse(0);
        }

        double remaining() {
            double left = total() - done();
            if (Double.isNaN(left)) {
                return Double.NaN;
            }
            if (left <= 0) {
                return 0;
            }
            double rate = rate();
            return rate <= 0 ? Double.NaN : left / rate;
        }
    }
}
