package org.clubanonymiser.operations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code config/oracle/verify.sh}'s argument handling and exit codes (no Oracle server runs here: the walkthrough
 * itself is the ops team's run). 2: usage; 3: a missing jar; 0 with {@code --dry-run}: the command it would run.
 */
class OracleVerifyScriptTests {

    static final Path SCRIPT = Path.of("..", "config", "oracle", "verify.sh");

    static final String URL = "jdbc:oracle:thin:@//db-host:1521/ANONYMISER";

    @TempDir
    Path temp;

    record Run(int exitCode, String out, String err) {
    }

    Run run(Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("ANONYMISER_DB_PASSWORD");
        builder.environment().putAll(environment);
        Path out = temp.resolve("out");
        Path err = temp.resolve("err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    Path jar() throws IOException {
        return Files.writeString(temp.resolve("club-anonymiser.jar"), "not run");
    }

    @Test
    void missingOrUnknownArgumentsAreAUsageError() throws Exception {
        Map<String, String> password = Map.of("ANONYMISER_DB_PASSWORD", "secret");
        Run none = run(password);
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("--url is required").contains("usage:");

        assertThat(run(password, "--url", URL).err()).contains("--user is required");
        assertThat(run(password, "--url", URL, "--user").exitCode()).isEqualTo(2);
        Run unknown = run(password, "--url", URL, "--user", "ANON", "--frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown argument: --frobnicate");
        Run members = run(password, "--url", URL, "--user", "ANON", "--members", "ten");
        assertThat(members.exitCode()).isEqualTo(2);
        assertThat(members.err()).contains("--members must be a positive whole number");
    }

    @Test
    void onlyAnOracleUrlIsAccepted() throws Exception {
        Run run = run(Map.of("ANONYMISER_DB_PASSWORD", "secret"), "--url", "jdbc:postgresql://h/db", "--user", "A");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("must be an Oracle JDBC URL");
    }

    @Test
    void thePasswordComesFromTheEnvironmentOnly() throws Exception {
        Run run = run(Map.of(), "--url", URL, "--user", "ANON", "--jar", jar().toString(), "--dry-run");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("ANONYMISER_DB_PASSWORD is not set");
    }

    @Test
    void aMissingJarIsAMissingTool() throws Exception {
        Run run = run(Map.of("ANONYMISER_DB_PASSWORD", "secret"), "--url", URL, "--user", "ANON", "--jar",
                temp.resolve("absent.jar").toString());
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("application jar not found").contains("package -DskipTests");
    }

    @Test
    void aDryRunPrintsTheWalkthroughCommandWithoutThePassword() throws Exception {
        Run run = run(Map.of("ANONYMISER_DB_PASSWORD", "s3cret-value"), "--url", URL, "--user", "ANON", "--jar",
                jar().toString(), "--storage-dir", temp.resolve("storage").toString(), "--members", "500",
                "--dry-run");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--spring.batch.job.name=demoWalkthroughJob")
            .contains("--spring.datasource.url=" + URL)
            .contains("--spring.datasource.username=ANON")
            .contains("members=500")
            .doesNotContain("s3cret-value");
        assertThat(temp.resolve("storage")).doesNotExist();
    }
}
