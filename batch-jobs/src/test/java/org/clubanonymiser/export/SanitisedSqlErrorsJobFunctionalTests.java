package org.clubanonymiser.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.PostgresDatabase;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A JDBC failure on rows carrying personal data leaves none of it in Spring Batch's metadata or the logs: a check
 * constraint (added by the test) refuses the manifest insert of a member named with canary values, the export fails,
 * and neither {@code BATCH_JOB_EXECUTION.EXIT_MESSAGE}, {@code BATCH_STEP_EXECUTION.EXIT_MESSAGE}, the execution
 * contexts nor the captured log output (Spring Batch logs the failure at ERROR with its stack trace) holds a canary,
 * while the logged SQLState (and on PostgreSQL the constraint's name) says what happened. Negative control on PostgreSQL: the raw driver's message does carry the
 * names ("Batch entry 0 insert ... values (...)", "Failing row contains (...)").
 */
class SanitisedSqlErrorsJobFunctionalTests {

    static final String CANARY = "qzcanary";

    @Import(ExportTestConfiguration.class)
    @TestPropertySource(properties = { ExportJobFunctionalTests.CHUNK_SIZE, ExportJobFunctionalTests.WINDOW })
    @ExtendWith(OutputCaptureExtension.class)
    abstract static class Contract {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        JobOperator jobOperator;

        @Autowired
        Job exportJob;

        @Autowired
        DataSource dataSource;

        @Autowired
        Environment environment;

        @Test
        void aFailedInsertOfNamesLeavesNoNameInExitMessagesNorLogs(CapturedOutput output) throws Exception {
            ExportScenario scenario = new ExportScenario(jdbc);
            long canaryMember = scenario.expectedRows().get(1).memberId();
            jdbc.update("update member set first_name = 'Qzcanaryfirst', last_name = 'Qzcanarylast' where id = ?",
                    canaryMember);
            jdbc.execute("alter table anonymisation_export_member add constraint test_canary_refused"
                    + " check (first_name not like 'Qzc%')");
            try {
                JobExecution execution = jobOperator.start(exportJob, scenario.parameters("Sanitised errors"));

                assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
                List<String> exitMessages = jdbc.queryForList("""
                        select exit_message from batch_job_execution where job_execution_id = ?
                        union all
                        select exit_message from batch_step_execution where job_execution_id = ?""", String.class,
                        execution.getId(), execution.getId());
                // Spring Batch keeps the stack trace's first 2,500 characters: the root cause is cut off there.
                assertThat(String.join("\n", exitMessages)).contains("FatalStepExecutionException")
                    .doesNotContainIgnoringCase(CANARY);
                assertThat(jdbc.queryForList("""
                        select c.short_context from batch_step_execution_context c
                        join batch_step_execution s on s.step_execution_id = c.step_execution_id
                        where s.job_execution_id = ?""", String.class, execution.getId()))
                    .noneMatch(context -> context.toLowerCase(Locale.ROOT).contains(CANARY));
                assertThat(output.getAll()).contains("SQLState 23").doesNotContainIgnoringCase(CANARY);
                if (isPostgres()) {
                    assertThat(output.getAll()).contains("SQLState 23514")
                        .contains("constraint test_canary_refused");
                }
            }
            finally {
                jdbc.execute("alter table anonymisation_export_member drop constraint test_canary_refused");
            }
        }

        /** The sanitised exception keeps what Spring's translation and a retry decision need. */
        @Test
        void theSanitisedExceptionKeepsItsSqlStateAndType() throws Exception {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement insert = connection.prepareStatement(
                            "insert into club (id, code, name) values (?, ?, ?)")) {
                insert.setLong(1, 987001);
                insert.setString(2, "QZ-987001");
                insert.setString(3, "Qzcanary club");
                insert.executeUpdate();
                SQLException duplicate = catchThrowableOfType(java.sql.SQLIntegrityConstraintViolationException.class,
                        insert::executeUpdate);
                assertThat(duplicate.getSQLState()).isEqualTo("23505");
                assertThat(duplicate.getMessage()).contains("SQLState 23505").doesNotContainIgnoringCase(CANARY)
                    .doesNotContain("987001");
                assertThat(duplicate.getCause()).isNull();
            }
            finally {
                jdbc.update("delete from club where id = 987001");
            }
        }

        boolean isPostgres() {
            return environment.getRequiredProperty("spring.datasource.url").startsWith("jdbc:postgresql:");
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Contract {
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Contract {

        /** Negative control: what the driver itself says, without the product's wrapper. */
        @Test
        void theRawDriverMessageWouldCarryTheNames() throws Exception {
            DriverManagerDataSource raw = new DriverManagerDataSource(
                    environment.getRequiredProperty("spring.datasource.url"),
                    environment.getRequiredProperty("spring.datasource.username"),
                    environment.getProperty("spring.datasource.password", ""));
            try (Connection connection = raw.getConnection();
                    PreparedStatement insert = connection.prepareStatement(
                            "insert into club (id, code, name) values (?, ?, ?)")) {
                jdbc.update("insert into club (id, code, name) values (987002, 'QZ-987002', 'Qzcanary club')");
                insert.setLong(1, 987003);
                insert.setString(2, "QZ-987002");
                insert.setString(3, "Qzcanary club");
                insert.addBatch();
                SQLException failure = catchThrowableOfType(SQLException.class, insert::executeBatch);
                assertThat(failure.getMessage()).containsIgnoringCase(CANARY);
            }
            finally {
                jdbc.update("delete from club where id in (987002, 987003)");
            }
        }
    }
}
