package org.clubanonymiser.server;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;

import javax.sql.DataSource;

import org.clubanonymiser.testsupport.OracleRulesDataSource;
import org.clubanonymiser.testsupport.OracleRulesExtension;
import org.clubanonymiser.testsupport.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Retention of job and task metadata as Data Flow's database holds it ({@code BOOT3_BATCH_*}, {@code BOOT3_TASK_*},
 * the launch manifest table), with the product's {@code job_heartbeat} in a database of its own: on H2 and on a real
 * PostgreSQL. Each test on fresh databases; rows inserted as the job and task repositories write them.
 */
class MetadataHousekeepingTests {

    static final String BATCH = "BOOT3_BATCH_";

    static final String TASK = "BOOT3_TASK_";

    static final LocalDateTime OLD = LocalDateTime.now().minusDays(100);

    static final Timestamp CUTOFF = Timestamp.valueOf(LocalDateTime.now().minusDays(90));

    abstract static class Scenarios {

        JdbcTemplate metadata;

        JdbcTemplate product;

        MetadataHousekeeping housekeeping;

        long nextId = 1;

        abstract DataSource newDatabase();

        abstract String platform();

        @BeforeEach
        void freshDatabases() {
            DataSource metadataDataSource = newDatabase();
            DataSource productDataSource = newDatabase();
            metadata = new JdbcTemplate(metadataDataSource);
            product = new JdbcTemplate(productDataSource);
            MetadataTables.createBatchTables(metadata, platform(), BATCH);
            MetadataTables.createTaskTables(metadata, TASK, true);
            product.execute("create table job_heartbeat (job_execution_id bigint not null primary key,"
                    + " beat_at timestamp not null)");
            housekeeping = new MetadataHousekeeping(metadataDataSource, productDataSource, BATCH, TASK);
        }

        @Test
        void deletesJobInstancesWhoseExecutionsAllEndedBeforeTheCutoffAndKeepsTheOthersWhole() {
            long oldCompleted = instance();
            long oldCompletedExecution = execution(oldCompleted, "COMPLETED", OLD);
            long oldFailed = instance();
            long oldFailedExecution = execution(oldFailed, "FAILED", OLD);
            long restarted = instance();
            long restartedFirst = execution(restarted, "FAILED", OLD);
            long restartedSecond = execution(restarted, "COMPLETED", LocalDateTime.now().minusDays(2));
            long unfinished = instance();
            long unfinishedExecution = execution(unfinished, "STARTED", null);

            int deleted = housekeeping.deleteJobInstancesEndedBefore(CUTOFF);

            assertThat(deleted).isEqualTo(2);
            assertThat(ids("select job_instance_id from " + BATCH + "job_instance")).containsExactly(restarted,
                    unfinished);
            assertThat(ids("select job_execution_id from " + BATCH + "job_execution"))
                .containsExactly(restartedFirst, restartedSecond, unfinishedExecution);
            for (String table : List.of("job_execution_params", "job_execution_context", "step_execution")) {
                assertThat(ids("select distinct job_execution_id from " + BATCH + table)).as(table)
                    .containsExactly(restartedFirst, restartedSecond, unfinishedExecution);
            }
            assertThat(count(metadata, BATCH + "step_execution_context")).isEqualTo(3);
            assertThat(product.queryForList("select job_execution_id from job_heartbeat order by 1", Long.class))
                .containsExactly(restartedFirst, restartedSecond, unfinishedExecution)
                .doesNotContain(oldCompletedExecution, oldFailedExecution);
            assertThat(housekeeping.deleteJobInstancesEndedBefore(CUTOFF)).isZero();
        }

        @Test
        void deletesTaskExecutionsEndedBeforeTheCutoffOnceTheirJobExecutionsAreGone() {
            long oldJob = execution(instance(), "COMPLETED", OLD);
            long withOldJob = task(OLD, oldJob);
            long keptInstance = instance();
            long keptJob = execution(keptInstance, "FAILED", OLD);
            execution(keptInstance, "COMPLETED", LocalDateTime.now().minusDays(1));
            long withKeptJob = task(OLD, keptJob);
            long withoutJob = task(OLD);
            long running = task(null);
            long recent = task(LocalDateTime.now().minusDays(3), execution(instance(), "COMPLETED",
                    LocalDateTime.now().minusDays(3)));

            housekeeping.deleteJobInstancesEndedBefore(CUTOFF);
            int deleted = housekeeping.deleteTaskExecutionsEndedBefore(CUTOFF);

            assertThat(deleted).isEqualTo(2);
            List<Long> kept = List.of(withKeptJob, running, recent);
            assertThat(ids("select task_execution_id from " + TASK + "execution")).containsExactlyElementsOf(kept);
            assertThat(ids("select distinct task_execution_id from " + TASK + "execution_params"))
                .containsExactlyElementsOf(kept);
            assertThat(ids("select distinct task_execution_id from " + TASK + "execution_metadata"))
                .containsExactlyElementsOf(kept);
            assertThat(ids("select task_execution_id from " + TASK + "task_batch"))
                .containsExactly(withKeptJob, recent)
                .doesNotContain(withOldJob, withoutJob);
            assertThat(housekeeping.deleteTaskExecutionsEndedBefore(CUTOFF)).isZero();
        }

        @Test
        void deletesMoreThanOneBatch() {
            int tasks = MetadataHousekeeping.DELETE_BATCH + 3;
            for (int i = 0; i < tasks; i++) {
                task(OLD, execution(instance(), "COMPLETED", OLD));
            }

            assertThat(housekeeping.deleteJobInstancesEndedBefore(CUTOFF)).isEqualTo(tasks);
            assertThat(housekeeping.deleteTaskExecutionsEndedBefore(CUTOFF)).isEqualTo(tasks);
            assertThat(count(metadata, BATCH + "job_execution")).isZero();
            assertThat(count(metadata, TASK + "execution")).isZero();
            assertThat(count(metadata, TASK + "task_batch")).isZero();
        }

        long instance() {
            long id = nextId++;
            metadata.update("insert into " + BATCH + "job_instance (job_instance_id, version, job_name, job_key)"
                    + " values (?, 0, 'importJob', ?)", id, "key" + id);
            return id;
        }

        /** An execution with one parameter, a context, one step and its context, and a heartbeat. */
        long execution(long instanceId, String status, LocalDateTime end) {
            long id = nextId++;
            Timestamp start = Timestamp.valueOf(OLD);
            Timestamp endTime = end == null ? null : Timestamp.valueOf(end);
            metadata.update("insert into " + BATCH + "job_execution (job_execution_id, version, job_instance_id,"
                    + " create_time, start_time, end_time, status, last_updated) values (?, 1, ?, ?, ?, ?, ?, ?)", id,
                    instanceId, start, start, endTime, status, start);
            metadata.update("insert into " + BATCH + "job_execution_params (job_execution_id, parameter_name,"
                    + " parameter_type, parameter_value, identifying) values (?, 'file', 'java.lang.String', 'f', 'Y')",
                    id);
            metadata.update("insert into " + BATCH + "job_execution_context (job_execution_id, short_context)"
                    + " values (?, '{}')", id);
            long step = nextId++;
            metadata.update("insert into " + BATCH + "step_execution (step_execution_id, version, step_name,"
                    + " job_execution_id, create_time, start_time, end_time, status) values (?, 1, 'importAnonymiseStep',"
                    + " ?, ?, ?, ?, ?)", step, id, start, start, endTime, status);
            metadata.update("insert into " + BATCH + "step_execution_context (step_execution_id, short_context)"
                    + " values (?, '{}')", step);
            product.update("insert into job_heartbeat (job_execution_id, beat_at) values (?, ?)", id, start);
            return id;
        }

        /** A task execution with a parameter, Data Flow's manifest, and links to the given job executions. */
        long task(LocalDateTime end, long... jobExecutionIds) {
            long id = nextId++;
            metadata.update("insert into " + TASK + "execution (task_execution_id, start_time, end_time, task_name,"
                    + " exit_code, last_updated) values (?, ?, ?, 'anonymiser-import', ?, ?)", id,
                    Timestamp.valueOf(OLD), end == null ? null : Timestamp.valueOf(end), end == null ? null : 0,
                    Timestamp.valueOf(OLD));
            metadata.update("insert into " + TASK + "execution_params (task_execution_id, task_param) values (?, ?)",
                    id, "--spring.batch.job.name=importJob");
            metadata.update("insert into " + TASK + "execution_metadata (id, task_execution_id,"
                    + " task_execution_manifest) values (?, ?, '{}')", id, id);
            for (long jobExecutionId : jobExecutionIds) {
                metadata.update("insert into " + TASK + "task_batch (task_execution_id, job_execution_id)"
                        + " values (?, ?)", id, jobExecutionId);
            }
            return id;
        }

        List<Long> ids(String sql) {
            return metadata.queryForList(sql + " order by 1", Long.class);
        }

        static long count(JdbcTemplate jdbc, String table) {
            Long count = jdbc.queryForObject("select count(*) from " + table, Long.class);
            return count == null ? 0 : count;
        }
    }

    @Test
    void refusesATablePrefixThatIsNotOne() {
        DataSource dataSource = new SingleConnectionDataSource(TestDatabases.newH2Url(), "sa", "", true);
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new MetadataHousekeeping(dataSource, dataSource, "BATCH_ where 1=1; --", "TASK_"));
    }

    @Nested
    class OnH2 extends Scenarios {

        @Override
        DataSource newDatabase() {
            return new SingleConnectionDataSource(TestDatabases.newH2Url(), "sa", "", true);
        }

        @Override
        String platform() {
            return "h2";
        }
    }

    @Nested
    class OnPostgres extends Scenarios {

        @Override
        DataSource newDatabase() {
            return new SingleConnectionDataSource(TestDatabases.newPostgresDatabase(), "postgres", "", true);
        }

        @Override
        String platform() {
            return "postgresql";
        }
    }

    /** Both databases in H2's Oracle mode, every statement of the housekeeping held to Oracle's rules. */
    @Nested
    @ExtendWith(OracleRulesExtension.class)
    class OnOracleMode extends Scenarios {

        @Override
        DataSource newDatabase() {
            return new OracleRulesDataSource(
                    new SingleConnectionDataSource(TestDatabases.newOracleModeUrl(), "sa", "", true));
        }

        @Override
        String platform() {
            return "oracle";
        }

        /** More executions than one Oracle IN list takes: their heartbeats go in slices. */
        @Test
        void deletesTheHeartbeatsOfMoreExecutionsThanOneInListTakes() {
            int instances = MetadataHousekeeping.DELETE_BATCH;
            for (int i = 0; i < instances; i++) {
                long instance = instance();
                execution(instance, "FAILED", OLD);
                execution(instance, "FAILED", OLD);
                execution(instance, "COMPLETED", OLD);
            }

            assertThat(housekeeping.deleteJobInstancesEndedBefore(CUTOFF)).isEqualTo(instances);
            assertThat(count(product, "job_heartbeat")).isZero();
            assertThat(OracleRulesDataSource.violations()).isEmpty();
        }
    }
}
