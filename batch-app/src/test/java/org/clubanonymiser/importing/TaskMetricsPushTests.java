package org.clubanonymiser.importing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.testsupport.RequiredTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task-mode import pushes its metrics to a real Prometheus Pushgateway (Debian's {@code prometheus-pushgateway},
 * started here on a free loopback port), grouped by job and job execution id: the Pushgateway's own {@code /metrics}
 * text, as Prometheus would scrape it, holds {@code anonymiser_import_rows_total}, Spring Batch's job timer and the
 * progress gauges of that execution, with the final figures. A process whose job never started pushes nothing.
 */
class TaskMetricsPushTests {

    /** {@code name{labels} value}: a sample line of the text exposition format. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path storage;

    @TempDir
    Path work;

    Process pushgateway;

    int port;

    @BeforeEach
    void startPushgateway() throws Exception {
        Path binary = RequiredTool.PUSHGATEWAY.require();
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        pushgateway = new ProcessBuilder(binary.toString(), "--web.listen-address=127.0.0.1:" + port,
                "--persistence.file=" + work.resolve("pushgateway.data"), "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("pushgateway.log").toFile())
            .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            }
            catch (IOException notYet) {
                // not listening yet
            }
            assertThat(pushgateway.isAlive()).as("the Pushgateway is running (see %s)", work).isTrue();
            assertThat(System.nanoTime()).as("the Pushgateway is ready within 30 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @AfterEach
    void stopPushgateway() throws Exception {
        if (pushgateway != null) {
            pushgateway.destroy();
            pushgateway.waitFor();
        }
    }

    @Test
    void aTaskPushesItsCountersTimersAndProgressGroupedByJobAndExecution() throws Exception {
        String database = "--spring.datasource.url=jdbc:h2:file:" + work.resolve("db");
        Path file;
        try (ConfigurableApplicationContext context = SpringApplication.run(AnonymiserApplication.class, database,
                "--anonymiser.storage-dir=" + storage, "--spring.batch.job.name=importJob",
                "--spring.batch.job.enabled=false", "--management.prometheus.metrics.export.pushgateway.enabled=true",
                "--management.prometheus.metrics.export.pushgateway.address=127.0.0.1:" + port)) {
            ExportFixtures fixtures = new ExportFixtures(context.getBean(JdbcTemplate.class),
                    context.getBean(StorageLayout.class), work);
            fixtures.standardClubs();
            List<Long> members = LongStream.rangeClosed(101, 104).boxed().toList();
            members.forEach(id -> fixtures.eligibleMember(id, 1));
            file = fixtures.resaveWithPoi(fixtures.export(1, members).workbook());
        }
        assertThat(samples()).as("no job ran: nothing pushed").noneMatch(s -> s.labels().containsKey("execution_id"));

        int exitCode = AnonymiserApplication.run(database, "--anonymiser.storage-dir=" + storage,
                "--spring.batch.job.name=importJob", "file=" + file, "requestedBy=admin",
                "--management.prometheus.metrics.export.pushgateway.enabled=true",
                "--management.prometheus.metrics.export.pushgateway.address=127.0.0.1:" + port,
                "--management.prometheus.metrics.export.pushgateway.push-rate=100ms");

        assertThat(exitCode).isZero();
        String executionId;
        try (ConfigurableApplicationContext context = SpringApplication.run(AnonymiserApplication.class, database,
                "--anonymiser.storage-dir=" + storage, "--spring.batch.job.name=importJob",
                "--spring.batch.job.enabled=false")) {
            executionId = context.getBean(JdbcTemplate.class).queryForObject("""
                    select max(e.job_execution_id) from batch_job_execution e
                    join batch_job_instance i on i.job_instance_id = e.job_instance_id
                    where i.job_name = 'importJob' and e.status = 'COMPLETED'""", String.class);
        }
        List<Sample> pushed = samples().stream()
            .filter(s -> executionId.equals(s.labels().get("execution_id")))
            .toList();
        assertThat(pushed).isNotEmpty().allSatisfy(s -> assertThat(s.labels()).containsEntry("job", "importJob"));
        assertThat(value(pushed, "anonymiser_import_rows_total", Map.of("club", "1", "outcome", "ANONYMISED")))
            .isEqualTo(4);
        assertThat(value(pushed, "spring_batch_job_seconds_count",
                Map.of("spring_batch_job_name", "importJob", "spring_batch_job_status", "COMPLETED")))
            .isEqualTo(1);
        Map<String, String> anonymiseStep = Map.of("job_name", "importJob", "step_name", "importAnonymiseStep");
        assertThat(value(pushed, "anonymiser_progress_done", anonymiseStep)).isEqualTo(4);
        assertThat(value(pushed, "anonymiser_progress_expected", anonymiseStep)).isEqualTo(4);
        assertThat(value(pushed, "anonymiser_progress_remaining_seconds", anonymiseStep)).isZero();
        // The Pushgateway records each group's last successful push.
        assertThat(value(pushed, "push_time_seconds", Map.of())).isPositive();
        assertThat(samples()).as("one group, the execution's").filteredOn(s -> s.name().equals("push_time_seconds"))
            .hasSize(1);
    }

    private static double value(List<Sample> samples, String name, Map<String, String> labels) {
        List<Sample> matching = samples.stream()
            .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
            .toList();
        assertThat(matching).as("%s%s among the pushed series", name, labels).hasSize(1);
        return matching.get(0).value();
    }

    private List<Sample> samples() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        List<Sample> samples = new ArrayList<>();
        try (Stream<String> lines = response.body().lines()) {
            lines.filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
                Matcher sample = SAMPLE.matcher(line);
                assertThat(sample.matches()).as("a sample line: %s", line).isTrue();
                Map<String, String> labels = new LinkedHashMap<>();
                if (sample.group(2) != null) {
                    Matcher label = LABEL.matcher(sample.group(2));
                    while (label.find()) {
                        labels.put(label.group(1), label.group(2));
                    }
                }
                samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
            });
        }
        return samples;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    record Sample(String name, Map<String, String> labels, double value) {
    }
}
