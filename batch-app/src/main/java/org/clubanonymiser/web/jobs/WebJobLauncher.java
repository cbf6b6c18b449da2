package org.clubanonymiser.web.jobs;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.clubanonymiser.support.execution.ExecutionRecovery.ExecutionStillRunningException;
import org.clubanonymiser.support.execution.ExecutionRecovery;
import org.clubanonymiser.support.execution.JobLaunchGuard;
import org.clubanonymiser.web.ApiException;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.core.task.TaskExecutor;
import org.springframework.http.HttpStatus;

/**
 * Launches jobs for the web layer without holding the request: a {@code TaskExecutorJobOperator} on a small
 * dedicated thread pool, wrapped by {@link org.clubanonymiser.support.execution.JobLaunchGuard} like every other launcher, so
 * parameters are validated (and a refused launch throws) in the request thread, before a job instance exists; the
 * job itself runs on the pool. Its {@link CompletableFuture} completes when the job has ended, whatever its status.
 * <p>
 * The records the web shows (export, import) are created by the job's first listener or step, on the pool thread;
 * {@link #awaitRecord} waits for that row (milliseconds) so that a request can answer with its id. Thread-safe.
 */
public class WebJobLauncher {

    /** How long a request waits for the job to create its record; a busy database may take a moment. */
    private static final Duration RECORD_WAIT = Duration.ofSeconds(30);

    private static final long RECORD_POLL_MILLIS = 20;

    private final JobOperator jobOperator;

    private final ThreadLocal<CompletableFuture<Void>> submitted;

    private final ExecutionRecovery recovery;

    private final JobLaunchGuard guard;

    private final Map<Long, CompletableFuture<Void>> launched = new ConcurrentHashMap<>();

    WebJobLauncher(JobOperator jobOperator, ThreadLocal<CompletableFuture<Void>> submitted,
            ExecutionRecovery recovery, JobLaunchGuard guard) {
        this.jobOperator = jobOperator;
        this.submitted = submitted;
        this.recovery = recovery;
        this.guard = guard;
    }

    /** A launched job: its execution (as created) and the future of its end. */
    public record Launch(JobExecution execution, CompletableFuture<Void> done) {
    }

    /**
     * Starts (or restarts, when its last execution failed) the job instance of these parameters. As in task mode, an
     * execution of the same instance left STARTED by a dead process is recovered first (see {@link ExecutionRecovery}).
     *
     * @throws Exception what {@link JobOperator#start(Job, JobParameters)} throws: invalid parameters, an instance
     *                   already complete or running; {@link ExecutionStillRunningException} when a live process runs it
     */
    public Launch start(Job job, JobParameters parameters) throws Exception {
        recovery.recoverIfDead(job.getName(), guard.complete(job.getName(), parameters));
        submitted.remove();
        try {
            JobExecution execution = jobOperator.start(job, parameters);
            CompletableFuture<Void> done = Optional.ofNullable(submitted.get())
                .orElseGet(() -> CompletableFuture.completedFuture(null));
            launched.values().removeIf(CompletableFuture::isDone);
            launched.put(execution.getId(), done);
            return new Launch(execution, done);
        }
        finally {
            submitted.remove();
        }
    }

    /**
     * As {@link #start}, for a request: a refused launch is the API's answer, 409 {@code completeCode} for an instance
     * already complete, 409 {@code runningCode} for one running (here or in a live process), 400
     * {@code INVALID_PARAMETERS}; anything else is a failure of the product.
     */
    public Launch startForRequest(Job job, JobParameters parameters, String completeCode, String runningCode) {
        try {
            return start(job, parameters);
        }
        catch (JobInstanceAlreadyCompleteException ex) {
            throw new ApiException(HttpStatus.CONFLICT, completeCode);
        }
        catch (JobExecutionAlreadyRunningException | ExecutionStillRunningException ex) {
            throw new ApiException(HttpStatus.CONFLICT, runningCode);
        }
        catch (InvalidJobParametersException ex) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "INVALID_PARAMETERS");
        }
        catch (Exception ex) {
            throw new IllegalStateException(job.getName() + " not launched", ex);
        }
    }

    /** The end of a job execution launched by this process (already done when unknown or ended). */
    public CompletableFuture<Void> completion(long jobExecutionId) {
        return launched.getOrDefault(jobExecutionId, CompletableFuture.completedFuture(null));
    }

    /**
     * Waits until {@code finder} finds the record the launched job creates first, or the job has ended.
     *
     * @return the record; empty when the job ended (or the wait ran out) without creating it
     */
    public <T> Optional<T> awaitRecord(Launch launch, Supplier<Optional<T>> finder) {
        long deadline = System.nanoTime() + RECORD_WAIT.toNanos();
        while (true) {
            Optional<T> record = finder.get();
            if (record.isPresent() || launch.done().isDone() || System.nanoTime() > deadline) {
                return record.isPresent() ? record : finder.get();
            }
            try {
                // Wakes as soon as the job ends; otherwise looks again shortly.
                launch.done().get(RECORD_POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            catch (TimeoutException | ExecutionException ex) {
                // Not ended yet (or ended badly): look for the record again.
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return finder.get();
            }
        }
    }

    /**
     * As {@link #awaitRecord}, for a request: a job that ended without its record answers 500 {@code JOB_FAILED}
     * (its failure is in the log).
     */
    public <T> T awaitRecordForRequest(Launch launch, Supplier<Optional<T>> finder) {
        return awaitRecord(launch, finder)
            .orElseThrow(() -> new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "JOB_FAILED"));
    }

    /** The executor the operator runs jobs on: records the future of each submitted job for the submitting thread. */
    static TaskExecutor tracking(TaskExecutor pool, ThreadLocal<CompletableFuture<Void>> submitted,
            Runnable afterEachJob) {
        return task -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            submitted.set(done);
            pool.execute(() -> {
                try {
                    task.run();
                }
                finally {
                    try {
                        afterEachJob.run();
                    }
                    finally {
                        done.complete(null);
                    }
                }
            });
        };
    }
}
