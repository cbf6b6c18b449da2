package org.clubanonymiser.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.server.NightlyOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as Spring Cloud Data Flow launches a {@code bootVersion=3} task, in-process: Data Flow's database
 * (here an H2 file holding the {@code BOOT3_TASK_*} and {@code BOOT3_BATCH_*} tables as Data Flow creates them, with
 * Batch 5's {@code JOB_SEQ} sequence name) passed as {@code spring.datasource.*} with the prefixes and
 * {@code initialize-enabled=false}, the legacy sequence name as a system property, and the product database given
 * as {@code anonymiser.datasource.*}. The real server runs the same in {@code config/dataflow/e2e.sh}.
 */
@ExtendWith(OutputCaptureExtension.class)
class DataFlowDatabasesTests {

    private static final String LEGACY = "spring.batch.jdbc.schema.legacy";

    Path workDir;

    String productUrl;

    String metadataUrl;

    @BeforeEach
    void dataFlowDatabase() throws IOException, SQLException {
        Path target = Files.createDirectories(Path.of("target", "dataflow-tests"));
        workDir = Files.createTempDirectory(target, "run-").toAbsolutePath();
        productUrl = "jdbc:h2:file:" + workDir.resolve("product/anonymiser");
        metadataUrl = "jdbc:h2:file:" + workDir.resolve("dataflow/dataflow");
        try (Connection connection = DriverManager.getConnection(metadataUrl, "sa", "");
                Statement statement = connection.createStatement()) {
            for (String sql : DataFlowMetadataSchema.statements()) {
                statement.execute(sql);
            }
        }
        System.setProperty(LEGACY, "true");
    }

    @AfterEach
    void clearLegacyProperty() {
        System.clearProperty(LEGACY);
    }

    private String[] asDataFlowLaunchesIt(String... arguments) {
        List<String> all = new ArrayList<>(List.of(arguments));
        all.addAll(List.of("--spring.datasource.url=" + metadataUrl, "--spring.datasource.username=sa",
                "--spring.datasource.password=", "--spring.datasource.driverClassName=org.h2.Driver",
                "--spring.cloud.task.initialize-enabled=false", "--spring.batch.jdbc.table-prefix=BOOT3_BATCH_",
                "--spring.cloud.task.tablePrefix=BOOT3_TASK_", "--spring.cloud.task.schemaTarget=boot3",
                "--spring.cloud.task.name=demo-data", "--anonymiser.datasource.url=" + productUrl,
                "--anonymiser.datasource.username=sa", "--anonymiser.storage-dir=" + workDir.resolve("storage")));
        return all.toArray(String[]::new);
    }

    @Test
    void jobMetadataGoesToDataFlowsDatabaseAndMembersToTheProductDatabase() throws SQLException {
        int exitCode = AnonymiserApplication.run(asDataFlowLaunchesIt("--spring.batch.job.name=demoDataJob",
                "members=120", "clubs=2", "seed=1", "asOf=2026-01-15"));

        assertThat(exitCode).isZero();
        assertThat(strings(metadataUrl, "select status from BOOT3_BATCH_JOB_EXECUTION"))
            .containsExactly("COMPLETED");
        assertThat(strings(metadataUrl, "select job_name from BOOT3_BATCH_JOB_INSTANCE"))
            .containsExactly("demoDataJob");
        assertThat(strings(metadataUrl, "select task_name || ':' || exit_code from BOOT3_TASK_EXECUTION"))
            .containsExactly("demo-data:0");
        assertThat(count(metadataUrl, "select count(*) from BOOT3_TASK_TASK_BATCH")).isEqualTo(1);
        // Nothing of the product in Data Flow's database: no Flyway, no default-prefixed tables.
        assertThat(strings(metadataUrl, "select table_name from information_schema.tables"
                + " where table_schema = 'PUBLIC' and table_name not like 'BOOT3_%'")).isEmpty();

        assertThat(count(productUrl, "select count(*) from member")).isEqualTo(120);
        // The product database's own BATCH_* and TASK_* tables (standalone mode) are left untouched.
        assertThat(count(productUrl, "select count(*) from batch_job_execution")).isZero();
        assertThat(strings(productUrl, "select table_name from information_schema.tables"
                + " where table_schema = 'PUBLIC' and table_name like 'TASK%'")).isEmpty();
    }

    @Test
    void aFailedJobIsAFailedTaskInDataFlowsDatabase() throws SQLException {
        assertThat(AnonymiserApplication.run(asDataFlowLaunchesIt("--spring.batch.job.name=demoDataJob",
                "members=40", "clubs=1", "seed=1", "asOf=2026-01-15"))).isZero();

        // A second seed of a database that has members fails: fail-on-job-failure makes the task exit non-zero.
        int exitCode = AnonymiserApplication.run(asDataFlowLaunchesIt("--spring.batch.job.name=demoDataJob",
                "members=40", "clubs=1", "seed=2", "asOf=2026-01-15"));

        assertThat(exitCode).isEqualTo(1);
        assertThat(strings(metadataUrl, "select status from BOOT3_BATCH_JOB_EXECUTION order by job_execution_id"))
            .containsExactly("COMPLETED", "FAILED");
        assertThat(strings(metadataUrl, "select exit_code from BOOT3_TASK_EXECUTION order by task_execution_id"))
            .containsExactly("0", "1");
        assertThat(count(productUrl, "select count(*) from member")).isEqualTo(40);
    }

    @Test
    void withoutTheLegacySequenceNameTheLaunchFailsWithWhatToDo(CapturedOutput output) throws SQLException {
        System.clearProperty(LEGACY);

        int exitCode = AnonymiserApplication.run(asDataFlowLaunchesIt("--spring.batch.job.name=demoDataJob",
                "members=30", "clubs=1", "seed=1", "asOf=2026-01-15"));

        assertThat(exitCode).isEqualTo(1);
        assertThat(output).contains("-Dspring.batch.jdbc.schema.legacy=true")
            .contains("SPRING_BATCH_JDBC_SCHEMA_LEGACY=true");
        assertThat(count(metadataUrl, "select count(*) from BOOT3_BATCH_JOB_INSTANCE")).isZero();
        assertThat(count(productUrl, "select count(*) from member")).isZero();
    }

    @Test
    void serverModeHousekeepingDeletesOldMetadataInDataFlowsDatabaseWithItsPrefixes() throws SQLException {
        assertThat(AnonymiserApplication.run(asDataFlowLaunchesIt("--spring.batch.job.name=demoDataJob",
                "members=30", "clubs=1", "seed=1", "asOf=2026-01-15"))).isZero();
        Timestamp old = Timestamp.valueOf(LocalDateTime.now().minusDays(100));
        update(metadataUrl, "update BOOT3_BATCH_JOB_EXECUTION set end_time = ?", old);
        update(metadataUrl, "update BOOT3_TASK_EXECUTION set end_time = ?", old);

        try (ConfigurableApplicationContext server = SpringApplication.run(AnonymiserApplication.class,
                asDataFlowLaunchesIt("--anonymiser.mode=server", "--spring.main.web-application-type=none",
                        "--anonymiser.metrics.eligible-refresh=0"))) {
            // Chunks commit on the product database; the job repository on Data Flow's, through its qualified manager;
            // Spring Cloud Task brings a third one of its own.
            assertThat(((JdbcTransactionManager) server.getBean("transactionManager")).getDataSource())
                .isSameAs(server.getBean(DataSource.class));
            assertThat(((JdbcTransactionManager) server.getBean("metadataTransactionManager")).getDataSource())
                .isSameAs(server.getBean("metadataDataSource"));
            assertThat(server.getBeansOfType(PlatformTransactionManager.class)).containsKeys("transactionManager",
                    "metadataTransactionManager", "springCloudTaskTransactionManager");
            NightlyOperations.MetadataDeleted deleted = server.getBean(NightlyOperations.class).deleteOldMetadata();

            assertThat(deleted).isEqualTo(new NightlyOperations.MetadataDeleted(1, 1));
            assertThat(count(metadataUrl, "select count(*) from BOOT3_BATCH_JOB_INSTANCE")).isZero();
            assertThat(count(metadataUrl, "select count(*) from BOOT3_BATCH_STEP_EXECUTION")).isZero();
            assertThat(count(metadataUrl, "select count(*) from BOOT3_TASK_TASK_BATCH")).isZero();
            // Only the server's own task execution is left (Spring Cloud Task ends it once the server is ready).
            assertThat(count(metadataUrl, "select count(*) from BOOT3_TASK_EXECUTION where end_time > ?",
                    Timestamp.valueOf(LocalDateTime.now().minusDays(1)))).isOne();
            assertThat(count(metadataUrl, "select count(*) from BOOT3_TASK_EXECUTION")).isOne();
            assertThat(count(productUrl, "select count(*) from member")).isEqualTo(30);
        }
    }

    private static void update(String url, String sql, Object... arguments) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setObject(i + 1, arguments[i]);
            }
            statement.executeUpdate();
        }
    }

    private static long count(String url, String sql, Object... arguments) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setObject(i + 1, arguments[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<String> strings(String url, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
