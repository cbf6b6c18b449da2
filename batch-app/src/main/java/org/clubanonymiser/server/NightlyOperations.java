package org.clubanonymiser.server;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.support.UserAccess;
import org.clubanonymiser.support.execution.ExecutionRecovery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;

/**
 * The nightly work of a server without Spring Cloud Data Flow, one method per schedule ({@code anonymiser.schedule.*}
 * in the application); each launches the same jobs, with the same parameters, as ops or Data Flow would:
 * <ul>
 * <li>{@link #exportClubs()}: one {@code exportJob} per club of the ops user, at the default inactivity
 * ({@value InactivityPeriod#DEFAULT_MONTHS} months), named {@code nightly-<date>}: a second run the same day finds
 * the same (completed) job instance and exports nothing twice; a failed one is restarted;</li>
 * <li>{@link #exportChain()}: the same exports in one {@code chainExportJob} (one partition per club, on a thread
 * pool or remote workers), with the same once-a-day and restart behaviour (a restart runs only the unfinished
 * clubs);</li>
 * <li>{@link #purgeExports()}: {@code exportPurgeJob};</li>
 * <li>{@link #purgeResidue()}: {@code residuePurgeJob};</li>
 * <li>{@link #recoverDeadExecutions()}: every execution left STARTED by a dead process (no heartbeat within
 * {@code anonymiser.recovery.lease}) is marked FAILED through {@link ExecutionRecovery}, so that a relaunch restarts
 * it; live ones are left alone;</li>
 * <li>{@link #deleteOldMetadata()}: job instances whose executions all ended before the retention are deleted
 * with their executions, parameters, contexts and step executions (FAILED ones too: past the retention they are
 * not restarted), then task executions ended before it with no job execution left ({@link MetadataHousekeeping}).
 * An instance with a running or unfinished execution, a task execution without an end, are never deleted.</li>
 * </ul>
 * Overlap: a run of a schedule is skipped (and says so) while the previous run of the same schedule is still going in
 * this process. Failures are logged and end the run; the next run tries again. Nothing personal is logged.
 */
public class NightlyOperations {

    /** The name prefix of nightly exports: {@code nightly-2026-11-29}. */
    public static final String EXPORT_NAME_PREFIX = "nightly-";

    private static final Logger log = LoggerFactory.getLogger(NightlyOperations.class);

    private final JobOperator jobOperator;

    private final JobRepository jobRepository;

    private final Map<String, Job> jobs;

    private final ExecutionRecovery recovery;

    private final UserAccess userAccess;

    private final MetadataHousekeeping housekeeping;

    private final Clock clock;

    private final String opsUser;

    private final Duration metadataRetention;

    private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();

    /**
     * @param housekeeping      deletes old job and task metadata
     * @param opsUser           the username nightly exports are requested by (must exist and be an ADMIN or granted)
     * @param metadataRetention how long finished job instances and task executions are kept
     */
    public NightlyOperations(JobOperator jobOperator, JobRepository jobRepository, Collection<Job> jobs,
            ExecutionRecovery recovery, UserAccess userAccess, MetadataHousekeeping housekeeping, Clock clock,
            String opsUser, Duration metadataRetention) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.jobs = new ConcurrentHashMap<>();
        jobs.forEach(job -> this.jobs.put(job.getName(), job));
        this.recovery = recovery;
        this.userAccess = userAccess;
        this.housekeeping = housekeeping;
        this.clock = clock;
        this.opsUser = opsUser;
        this.metadataRetention = metadataRetention;
    }

    /**
     * One export per club of the ops user.
     *
     * @return the executions launched (empty when skipped or refused)
     */
    public List<JobExecution> exportClubs() {
        return this.<List<JobExecution>>exclusively("export", () -> {
            Optional<UserAccess.AppUser> user = exportingUser();
            if (user.isEmpty()) {
                return List.<JobExecution>of();
            }
            String name = EXPORT_NAME_PREFIX + LocalDate.now(clock);
            List<JobExecution> launched = new ArrayList<>();
            for (long clubId : user.get().clubIds().stream().sorted().toList()) {
                JobParameters parameters = new JobParametersBuilder().addLong("clubId", clubId)
                    .addLong("inactivityMonths", (long) InactivityPeriod.DEFAULT_MONTHS)
                    .addString("exportName", name)
                    .addString("requestedBy", opsUser)
                    .toJobParameters();
                launch("exportJob", parameters).ifPresent(launched::add);
            }
            return launched;
        }).orElse(List.of());
    }

    /**
     * Every club of the ops user in one {@code chainExportJob}.
     *
     * @return the execution launched (empty when skipped, refused or already completed today)
     */
    public Optional<JobExecution> exportChain() {
        return exclusively("export", () -> {
            if (exportingUser().isEmpty()) {
                return Optional.<JobExecution>empty();
            }
            JobParameters parameters = new JobParametersBuilder()
                .addLong("inactivityMonths", (long) InactivityPeriod.DEFAULT_MONTHS)
                .addString("exportName", EXPORT_NAME_PREFIX + LocalDate.now(clock))
                .addString("requestedBy", opsUser)
                .toJobParameters();
            return launch("chainExportJob", parameters);
        }).flatMap(e -> e);
    }

    private Optional<UserAccess.AppUser> exportingUser() {
        Optional<UserAccess.AppUser> user = opsUser == null ? Optional.empty() : userAccess.find(opsUser);
        if (user.isEmpty() || !user.get().mayAnonymise()) {
            log.warn("Nightly export not run: anonymiser.schedule.ops-user must name an existing ADMIN or"
                    + " granted user");
            return Optional.empty();
        }
        return user;
    }

    /** Launches {@code exportPurgeJob} (its {@code asOf} defaults to now). */
    public Optional<JobExecution> purgeExports() {
        return exclusively("exportPurge", () -> launch("exportPurgeJob", new JobParameters())).flatMap(e -> e);
    }

    /**
     * {@code residuePurgeJob}: anonymised values removed from the database's files (PostgreSQL's table rewrite; on
     * H2 the file is compacted by the server's own check, the job only reports).
     *
     * @return the execution launched (empty when skipped or refused)
     */
    public Optional<JobExecution> purgeResidue() {
        return exclusively("residuePurge", () -> launch("residuePurgeJob", new JobParameters())).flatMap(e -> e);
    }

    /**
     * Marks FAILED every STARTED execution of every job whose process is dead.
     *
     * @return the ids of the executions recovered
     */
    public List<Long> recoverDeadExecutions() {
        return exclusively("recovery", () -> {
            List<Long> recovered = new ArrayList<>();
            for (String jobName : jobs.keySet().stream().sorted().toList()) {
                for (JobExecution execution : jobRepository.findRunningJobExecutions(jobName)) {
                    try {
                        recovered.add(recovery.recoverIfDead(execution));
                        log.info("Recovered dead execution {} of {}: FAILED, restartable", execution.getId(),
                                jobName);
                    }
                    catch (ExecutionRecovery.ExecutionStillRunningException ex) {
                        log.debug("Execution {} of {} is alive", execution.getId(), jobName);
                    }
                }
            }
            return recovered;
        }).orElse(List.of());
    }

    /**
     * Deletes the job instances whose executions all ended before now minus the retention, then the task executions
     * that ended before it and have no job execution left (see {@link MetadataHousekeeping}).
     *
     * @return what was deleted (nothing when skipped)
     */
    public MetadataDeleted deleteOldMetadata() {
        return exclusively("housekeeping", () -> {
            Timestamp cutoff = Timestamp.valueOf(LocalDateTime.now(clock).minus(metadataRetention));
            MetadataDeleted deleted = new MetadataDeleted(housekeeping.deleteJobInstancesEndedBefore(cutoff),
                    housekeeping.deleteTaskExecutionsEndedBefore(cutoff));
            if (deleted.jobInstances() > 0 || deleted.taskExecutions() > 0) {
                log.info("Deleted {} job instances and {} task executions that ended before {}",
                        deleted.jobInstances(), deleted.taskExecutions(), cutoff);
            }
            return deleted;
        }).orElse(new MetadataDeleted(0, 0));
    }

    /** What a housekeeping run deleted. */
    public record MetadataDeleted(int jobInstances, int taskExecutions) {
    }

    private Optional<JobExecution> launch(String jobName, JobParameters parameters) {
        Job job = jobs.get(jobName);
        if (job == null) {
            log.warn("Nightly run: no job {}", jobName);
            return Optional.empty();
        }
        try {
            JobExecution execution = jobOperator.start(job, parameters);
            log.info("Nightly {} (job execution {}): {}", jobName, execution.getId(),
                    execution.getExitStatus().getExitCode());
            return Optional.of(execution);
        }
        catch (Exception ex) {
            log.warn("Nightly {} not launched: {}", jobName, ex.getMessage());
            return Optional.empty();
        }
    }

    /** Runs the work unless the previous run of the same schedule is still going; empty when skipped. */
    private <T> Optional<T> exclusively(String schedule, java.util.function.Supplier<T> work) {
        AtomicBoolean flag = running.computeIfAbsent(schedule, name -> new AtomicBoolean());
        if (!flag.compareAndSet(false, true)) {
            log.warn("Nightly {} skipped: the previous run is still going", schedule);
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(work.get());
        }
        finally {
            flag.set(false);
        }
    }
}
