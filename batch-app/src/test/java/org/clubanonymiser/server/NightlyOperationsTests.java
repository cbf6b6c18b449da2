package org.clubanonymiser.server;

import java.lang.reflect.Proxy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.support.UserAccess;
import org.clubanonymiser.support.execution.ExecutionRecovery;
import org.clubanonymiser.testsupport.OracleRulesExtension;
import org.clubanonymiser.testsupport.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nightly schedules, called directly (no waiting for a cron), on H2 and PostgreSQL: exports per club of the ops
 * user, the purge, recovery of dead executions only, housekeeping of old finished job instances only, and a run
 * skipped while the previous one of the same schedule is going.
 */
class NightlyOperationsTests {

    private static final AtomicLong DAYS = new AtomicLong(1000);

    /**
     * The application in server mode (the mode that schedules these runs) with every schedule off: the tests call the
     * runs themselves.
     */
    @SpringBootTest(classes = AnonymiserApplication.class, properties = { "anonymiser.mode=server",
            "anonymiser.metrics.eligible-refresh=0", "anonymiser.schedule.export-purge=-",
            "anonymiser.schedule.residue-purge=-", "logging.level.org.clubanonymiser=WARN" })
    abstract static class Scenarios {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        JobOperator jobOperator;

        @Autowired
        JobRepository jobRepository;

        @Autowired
        Collection<Job> jobs;

        @Autowired
        ExecutionRecovery recovery;

        @Autowired
        UserAccess userAccess;

        @BeforeEach
        void cleanData() {
            for (String table : List.of("anonymisation_import_claim", "anonymisation_import_rejection",
                    "anonymisation_ledger", "anonymisation_import", "anonymisation_export_member",
                    "anonymisation_export", "retired_badge_number", "invoice", "instalment", "purchase", "booking",
                    "visit", "badge", "member_account", "member_consent", "member_phone", "member_address", "member",
                    "app_user_club", "app_user", "club")) {
                jdbc.update("delete from " + table);
            }
            for (long id : List.of(1L, 2L, 3L)) {
                jdbc.update("insert into club (id, code, name) values (?, ?, ?)", id, "C" + id, "Club " + id);
            }
            user(1, "ops", "ADMIN", 1, 2);
            user(2, "clerk", "STAFF", 1);
        }

        /**
         * A day of its own for each test's nightly exports: the job instances of a day's exports outlive the data
         * cleaned between tests, and a completed instance is not run twice.
         */
        Clock clock = Clock.offset(Clock.systemDefaultZone(), Duration.ofDays(-DAYS.incrementAndGet()));

        NightlyOperations nightly(String opsUser) {
            return nightly(opsUser, jobOperator);
        }

        NightlyOperations nightly(String opsUser, JobOperator operator) {
            // The TASK_* tables, should the application's Spring Cloud Task not have made them on this database.
            MetadataTables.createTaskTables(jdbc, "TASK_", false);
            DataSource dataSource = jdbc.getDataSource();
            return new NightlyOperations(operator, jobRepository, jobs, recovery, userAccess,
                    new MetadataHousekeeping(dataSource, dataSource, "BATCH_", "TASK_"), clock, opsUser,
                    Duration.ofDays(90));
        }

        @Test
        void exportsEachClubOfTheOpsUserOncePerDay() {
            NightlyOperations nightly = nightly("ops");

            List<JobExecution> first = nightly.exportClubs();

            assertThat(first).extracting(JobExecution::getStatus).containsOnly(BatchStatus.COMPLETED).hasSize(2);
            String name = NightlyOperations.EXPORT_NAME_PREFIX + LocalDate.now(clock);
            assertThat(jdbc.queryForList("select club_id from anonymisation_export where name = ? and requested_by = ?"
                    + " and inactivity_months = 36 order by club_id", Long.class, name, "ops"))
                .containsExactly(1L, 2L);

            assertThat(nightly.exportClubs()).as("the same day's instances are complete").isEmpty();
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_export", Long.class)).isEqualTo(2);
        }

        @Test
        void exportsEveryClubOfTheOpsUserInOneChainExportOncePerDay() {
            NightlyOperations nightly = nightly("ops");

            Optional<JobExecution> first = nightly.exportChain();

            assertThat(first).get().extracting(JobExecution::getStatus).isEqualTo(BatchStatus.COMPLETED);
            assertThat(first.get().getJobInstance().getJobName()).isEqualTo("chainExportJob");
            String name = NightlyOperations.EXPORT_NAME_PREFIX + LocalDate.now(clock);
            assertThat(jdbc.queryForList("select club_id from anonymisation_export where name = ? and requested_by = ?"
                    + " and inactivity_months = 36 and status = 'COMPLETED' and job_instance_id = ? order by club_id",
                    Long.class, name, "ops", first.get().getJobInstance().getInstanceId()))
                .containsExactly(1L, 2L);

            assertThat(nightly.exportChain()).as("the same day's instance is complete").isEmpty();
            assertThat(nightly("clerk").exportChain()).isEmpty();
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_export", Long.class)).isEqualTo(2);
        }

        @Test
        void exportsNothingForAMissingOrUnprivilegedOpsUser() {
            assertThat(nightly("clerk").exportClubs()).isEmpty();
            assertThat(nightly("nobody").exportClubs()).isEmpty();
            assertThat(nightly(null).exportClubs()).isEmpty();
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_export", Long.class)).isZero();
        }

        @Test
        void launchesTheExportPurge() {
            assertThat(nightly("ops").purgeExports()).get().extracting(JobExecution::getStatus)
                .isEqualTo(BatchStatus.COMPLETED);
        }

        @Test
        void skipsARunWhileThePreviousRunOfTheSameScheduleIsGoing() {
            List<List<JobExecution>> nested = new ArrayList<>();
            NightlyOperations[] holder = new NightlyOperations[1];
            // A job operator whose launch starts the same schedule again, as a cron firing before the last run ended
            JobOperator reentrant = (JobOperator) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] { JobOperator.class }, (proxy, method, args) -> {
                        if (method.getName().equals("start") && nested.isEmpty()) {
                            nested.add(holder[0].exportClubs());
                        }
                        return method.invoke(jobOperator, args);
                    });
            holder[0] = nightly("ops", reentrant);

            List<JobExecution> outer = holder[0].exportClubs();

            assertThat(nested).containsExactly(List.of());
            assertThat(outer).hasSize(2);
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_export", Long.class)).isEqualTo(2);
        }

        @Test
        void recoversDeadStartedExecutionsAndLeavesLiveOnesAlone() {
            JobExecution dead = startedExecution("dead-" + System.nanoTime(), LocalDateTime.now().minusMinutes(10));
            JobExecution alive = startedExecution("alive-" + System.nanoTime(), LocalDateTime.now().minusSeconds(5));

            List<Long> recovered = nightly("ops").recoverDeadExecutions();

            assertThat(recovered).contains(dead.getId()).doesNotContain(alive.getId());
            assertThat(jobRepository.getJobExecution(dead.getId()).getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(jobRepository.getJobExecution(alive.getId()).getStatus()).isEqualTo(BatchStatus.STARTED);
            finish(alive, BatchStatus.FAILED, LocalDateTime.now());
        }

        @Test
        void deletesOnlyInstancesWhoseExecutionsAllEndedBeforeTheRetention() {
            clock = Clock.systemDefaultZone();
            LocalDateTime old = LocalDateTime.now().minusDays(100);
            String run = "hk-" + System.nanoTime();
            JobExecution oldCompleted = startedExecution(run + "-old-completed", old);
            finish(oldCompleted, BatchStatus.COMPLETED, old);
            JobExecution oldFailed = startedExecution(run + "-old-failed", old);
            finish(oldFailed, BatchStatus.FAILED, old);
            JobExecution recentFailed = startedExecution(run + "-recent-failed", old);
            finish(recentFailed, BatchStatus.FAILED, LocalDateTime.now().minusDays(1));
            JobExecution oldThenRestarted = startedExecution(run + "-restarted", old);
            finish(oldThenRestarted, BatchStatus.FAILED, old);
            JobExecution restart = jobRepository.createJobExecution(oldThenRestarted.getJobInstance(),
                    oldThenRestarted.getJobParameters(), new ExecutionContext());
            finish(restart, BatchStatus.COMPLETED, LocalDateTime.now().minusDays(2));
            JobExecution unfinished = startedExecution(run + "-unfinished", old);

            long oldTask = task(old, oldCompleted.getId());
            long keptTask = task(old, oldThenRestarted.getId());

            NightlyOperations.MetadataDeleted deleted = nightly("ops").deleteOldMetadata();

            assertThat(deleted.jobInstances()).isGreaterThanOrEqualTo(2);
            assertThat(deleted.taskExecutions()).isGreaterThanOrEqualTo(1);
            assertThat(count("task_execution where task_execution_id = ?", oldTask)).isZero();
            assertThat(count("task_task_batch where task_execution_id = ?", oldTask)).isZero();
            assertThat(count("task_execution where task_execution_id = ?", keptTask)).isOne();
            for (JobExecution gone : List.of(oldCompleted, oldFailed)) {
                long instance = gone.getJobInstance().getInstanceId();
                assertThat(count("batch_job_instance where job_instance_id = ?", instance)).isZero();
                assertThat(count("batch_job_execution where job_execution_id = ?", gone.getId())).isZero();
                assertThat(count("batch_job_execution_params where job_execution_id = ?", gone.getId())).isZero();
                assertThat(count("batch_job_execution_context where job_execution_id = ?", gone.getId())).isZero();
                assertThat(count("batch_step_execution where job_execution_id = ?", gone.getId())).isZero();
            }
            for (JobExecution kept : List.of(recentFailed, oldThenRestarted, unfinished)) {
                assertThat(count("batch_job_instance where job_instance_id = ?",
                        kept.getJobInstance().getInstanceId())).as(kept.getJobParameters().toString()).isOne();
                assertThat(count("batch_step_execution where job_execution_id = ?", kept.getId())).isOne();
            }
            assertThat(count("batch_step_execution_context c where not exists (select 1 from batch_step_execution s"
                    + " where s.step_execution_id = c.step_execution_id)")).isZero();
            finish(unfinished, BatchStatus.FAILED, LocalDateTime.now());
        }

        private void user(long id, String username, String role, long... clubIds) {
            jdbc.update("""
                    insert into app_user (id, username, display_name, password_hash, role, mass_anonymisation_granted)
                    values (?, ?, ?, '{noop}x', ?, ?)""", id, username, "User " + id, role, false);
            for (long clubId : clubIds) {
                jdbc.update("insert into app_user_club (user_id, club_id) values (?, ?)", id, clubId);
            }
        }

        /** A STARTED execution of a real job with one step, silent since {@code when}. */
        private JobExecution startedExecution(String key, LocalDateTime when) {
            JobParameters parameters = new JobParametersBuilder().addString("nightlyTest", key).toJobParameters();
            JobInstance instance = jobRepository.createJobInstance("exportPurgeJob", parameters);
            JobExecution execution = jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
            execution.setStartTime(when);
            execution.setStatus(BatchStatus.STARTED);
            jobRepository.update(execution);
            StepExecution step = jobRepository.createStepExecution("exportPurgeStep", execution);
            step.setStatus(BatchStatus.STARTED);
            step.setStartTime(when);
            jobRepository.update(step);
            jobRepository.updateExecutionContext(step);
            Timestamp then = Timestamp.valueOf(when);
            jdbc.update("update batch_job_execution set create_time = ?, start_time = ?, last_updated = ?"
                    + " where job_execution_id = ?", then, then, then, execution.getId());
            jdbc.update("update batch_step_execution set create_time = ?, start_time = ?, last_updated = ?"
                    + " where job_execution_id = ?", then, then, then, execution.getId());
            return execution;
        }

        /** A finished task execution linked to a job execution, as Spring Cloud Task records it. */
        private long task(LocalDateTime end, long jobExecutionId) {
            long id = jdbc.queryForObject("select coalesce(max(task_execution_id), 0) + 1 from task_execution",
                    Long.class);
            jdbc.update("insert into task_execution (task_execution_id, start_time, end_time, task_name, exit_code)"
                    + " values (?, ?, ?, 'nightly-test', 0)", id, Timestamp.valueOf(end), Timestamp.valueOf(end));
            jdbc.update("insert into task_task_batch (task_execution_id, job_execution_id) values (?, ?)", id,
                    jobExecutionId);
            return id;
        }

        private void finish(JobExecution execution, BatchStatus status, LocalDateTime endTime) {
            Timestamp end = Timestamp.valueOf(endTime);
            jdbc.update("update batch_job_execution set status = ?, end_time = ?, last_updated = ?"
                    + " where job_execution_id = ?", status.name(), end, end, execution.getId());
            jdbc.update("update batch_step_execution set status = ?, end_time = ?, last_updated = ?"
                    + " where job_execution_id = ?", status.name(), end, end, execution.getId());
        }

        private long count(String fromWhere, Object... args) {
            Long count = jdbc.queryForObject("select count(*) from " + fromWhere, Long.class, args);
            return count == null ? 0 : count;
        }
    }

    @Nested
    @ContextConfiguration(initializers = TestDatabases.H2Initializer.class)
    class OnH2 extends Scenarios {
    }

    @Nested
    @ContextConfiguration(initializers = TestDatabases.PostgresInitializer.class)
    class OnPostgres extends Scenarios {
    }

    @Nested
    @ContextConfiguration(initializers = TestDatabases.OracleModeInitializer.class)
    @ExtendWith(OracleRulesExtension.class)
    class OnOracleMode extends Scenarios {
    }
}
