package org.clubanonymiser.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.clubanonymiser.AnonymiserApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line as ops and Spring Cloud Data Flow use it: {@code --spring.batch.job.name=<job> key=value ...},
 * run in-process through {@link AnonymiserApplication#run} (what {@code main} exits with), each on a fresh H2 file
 * database and storage dir of its own.
 */
class AnonymiserApplicationTests {

    Path workDir;

    String databaseUrl;

    @BeforeEach
    void freshDatabase() throws IOException {
        Path target = Files.createDirectories(Path.of("target", "launch-tests"));
        workDir = Files.createTempDirectory(target, "run-").toAbsolutePath();
        databaseUrl = "jdbc:h2:file:" + workDir.resolve("db/anonymiser");
    }

    String[] arguments(String... jobArguments) {
        List<String> arguments = new ArrayList<>(List.of(jobArguments));
        arguments.add("--spring.datasource.url=" + databaseUrl);
        arguments.add("--anonymiser.storage-dir=" + workDir.resolve("storage"));
        return arguments.toArray(String[]::new);
    }

    @Test
    void demoDataJobByNameCompletesAndExitsZero() throws SQLException {
        int exitCode = AnonymiserApplication.run(arguments("--spring.batch.job.name=demoDataJob", "members=200",
                "clubs=2", "seed=1", "asOf=2026-01-15"));

        assertThat(exitCode).isZero();
        assertThat(count("select count(*) from member")).isEqualTo(200);
        assertThat(count("select count(*) from club")).isEqualTo(2);
        assertThat(count("select count(*) from app_user")).isEqualTo(6);
        assertThat(strings("select status from batch_job_execution")).containsExactly("COMPLETED");
        assertThat(strings("select exit_code from task_execution")).containsExactly("0");
    }

    @Test
    void invalidParametersAreRefusedWithANonZeroExitAndNothingWritten() throws SQLException {
        int exitCode = AnonymiserApplication.run(arguments("--spring.batch.job.name=demoDataJob", "members=0",
                "clubs=2"));

        assertThat(exitCode).as("the documented exit code of a failed job or refused launch").isEqualTo(1);
        assertThat(count("select count(*) from member")).isZero();
        assertThat(count("select count(*) from club")).isZero();
        assertThat(count("select count(*) from batch_job_instance")).isZero();
        assertThat(count("select count(*) from batch_job_execution")).isZero();
    }

    @Test
    void aFailedJobExitsNonZero() throws SQLException {
        assertThat(AnonymiserApplication.run(arguments("--spring.batch.job.name=demoDataJob", "members=50",
                "clubs=1", "seed=1", "asOf=2026-01-15"))).isZero();

        // Seeding a database that already has members fails (and changes nothing).
        int exitCode = AnonymiserApplication.run(arguments("--spring.batch.job.name=demoDataJob", "members=80",
                "clubs=2", "seed=2", "asOf=2026-01-15"));

        assertThat(exitCode).as("the documented exit code of a failed job or refused launch").isEqualTo(1);
        assertThat(strings("select status from batch_job_execution order by job_execution_id"))
            .containsExactly("COMPLETED", "FAILED");
        assertThat(count("select count(*) from member")).isEqualTo(50);
        assertThat(count("select count(*) from club")).isEqualTo(1);
    }

    @Test
    void noJobNameAndNoServerModeExitsNonZeroWithoutRunningAnything() throws SQLException {
        int exitCode = AnonymiserApplication.run(arguments());

        assertThat(exitCode).as("the documented exit code of a failed job or refused launch").isEqualTo(1);
        assertThat(count("select count(*) from batch_job_execution")).isZero();
    }

    @Test
    void mainExitsTheJvmWithTheJobOutcome() throws Exception {
        assertThat(mainInChildJvm("--spring.batch.job.name=demoDataJob", "members=30", "clubs=1", "seed=3",
                "asOf=2026-01-15")).isZero();
        assertThat(count("select count(*) from member")).isEqualTo(30);
        assertThat(mainInChildJvm("--spring.batch.job.name=demoDataJob", "members=30", "clubs=1", "seed=4",
                "asOf=2026-01-15")).isEqualTo(1);
    }

    private int mainInChildJvm(String... jobArguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                AnonymiserApplication.class.getName()));
        command.addAll(List.of(arguments(jobArguments)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(workDir.resolve("child-" + System.nanoTime() + ".log").toFile())
            .directory(workDir.toFile())
            .start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("The application did not exit");
        }
        return process.exitValue();
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "");
                Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "");
                Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

}
