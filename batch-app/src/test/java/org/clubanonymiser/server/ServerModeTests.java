package org.clubanonymiser.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.metrics.EligibleMembersGauge;
import org.clubanonymiser.operations.NightlyOperations;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.config.CronTask;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server mode serves {@code /actuator/prometheus} (with the product's gauge) and registers the configured nightly
 * schedules; task mode has neither a web server nor a scheduler. Each run on a fresh H2 file database.
 */
class ServerModeTests {

    Path workDir;

    @BeforeEach
    void freshDatabase() throws IOException {
        Path target = Files.createDirectories(Path.of("target", "server-tests"));
        workDir = Files.createTempDirectory(target, "run-").toAbsolutePath();
    }

    String[] arguments(String... given) {
        List<String> arguments = new ArrayList<>(List.of(given));
        arguments.add("--spring.datasource.url=jdbc:h2:file:" + workDir.resolve("db/anonymiser"));
        arguments.add("--anonymiser.storage-dir=" + workDir.resolve("storage"));
        return arguments.toArray(String[]::new);
    }

    @Test
    void serverModeServesPrometheusAndRegistersTheConfiguredSchedules() throws Exception {
        try (ConfigurableApplicationContext context = SpringApplication.run(AnonymiserApplication.class,
                arguments("--anonymiser.mode=server", "--server.port=0", "--server.address=127.0.0.1",
                        "--anonymiser.metrics.eligible-refresh=0", "--anonymiser.schedule.export=0 0 2 * * *",
                        "--anonymiser.schedule.recovery=0 */10 * * * *", "--anonymiser.schedule.ops-user=admin"))) {
            assertThat(context).isInstanceOf(WebServerApplicationContext.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            jdbc.update("insert into club (id, code, name) values (7, 'C7', 'Club 7')");
            context.getBean(EligibleMembersGauge.class).refresh();
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();

            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("anonymiser_eligible_members{club=\"7\"} 0.0");
            Set<String> crons = context.getBeansOfType(ScheduledTaskHolder.class).values().stream()
                .flatMap(holder -> holder.getScheduledTasks().stream())
                .map(ScheduledTask::getTask)
                .filter(CronTask.class::isInstance)
                .map(task -> ((CronTask) task).getExpression())
                .collect(Collectors.toSet());
            assertThat(crons).containsExactlyInAnyOrder("0 0 2 * * *", "0 */10 * * * *");
        }
    }

    @Test
    void taskModeHasNoWebServerAndNoSchedules() {
        try (ConfigurableApplicationContext context = SpringApplication.run(AnonymiserApplication.class,
                arguments("--spring.batch.job.name=exportPurgeJob", "--anonymiser.schedule.export=0 0 2 * * *"))) {
            assertThat(context).isNotInstanceOf(WebServerApplicationContext.class);
            assertThat(context.getBeanProvider(NightlyOperations.class).getIfAvailable()).isNull();
            assertThat(context.getBeanProvider(EligibleMembersGauge.class).getIfAvailable()).isNull();
            assertThat(context.getBeanProvider(ScheduledTaskHolder.class).stream()
                .flatMap(holder -> holder.getScheduledTasks().stream())).isEmpty();
        }
    }
}
