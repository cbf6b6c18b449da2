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
            // The actuator has a port of its own (server.port + 1; a free one here, as server.port is 0), on loopback.
            int managementPort = context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
            assertThat(managementPort).isNotEqualTo(port);
            assertThat(context.getEnvironment().getProperty("management.server.address")).isEqualTo("127.0.0.1");

            HttpResponse<String> response = get("http://127.0.0.1:" + managementPort + "/actuator/prometheus");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("anonymiser_eligible_members{club=\"7\"} 0.0");
            // Not on the UI's port, where anyone who reaches the login page would read it.
            HttpResponse<String> onUiPort = get("http://127.0.0.1:" + port + "/actuator/prometheus");
            assertThat(onUiPort.statusCode()).isNotEqualTo(200);
            assertThat(onUiPort.body()).doesNotContain("anonymiser_eligible_members");
            // The management port serves health, info and prometheus to a scraper; nothing else answers there.
            assertThat(get("http://127.0.0.1:" + managementPort + "/actuator/health").statusCode()).isEqualTo(200);
            for (String endpoint : new String[] { "", "/beans", "/env", "/heapdump", "/loggers", "/mappings",
                    "/metrics", "/shutdown", "/threaddump", "/configprops" }) {
                assertThat(get("http://127.0.0.1:" + managementPort + "/actuator" + endpoint).statusCode())
                    .as("/actuator" + endpoint).isNotEqualTo(200);
            }
            Set<String> crons = context.getBeansOfType(ScheduledTaskHolder.class).values().stream()
                .flatMap(holder -> holder.getScheduledTasks().stream())
                .map(ScheduledTask::getTask)
                .filter(CronTask.class::isInstance)
                .map(task -> ((CronTask) task).getExpression())
                .collect(Collectors.toSet());
            // The export and residue purges run by default: expired export files, and anonymised values in the
            // database's files, must not outlive their retention.
            assertThat(crons).containsExactlyInAnyOrder("0 0 2 * * *", "0 */10 * * * *",
                    ScheduleProperties.DEFAULT_EXPORT_PURGE, ScheduleProperties.DEFAULT_RESIDUE_PURGE);
        }
    }

    /**
     * The session cookie is SameSite=Lax and HttpOnly, and Secure when the request came over TLS (here through a TLS
     * proxy: X-Forwarded-Proto with server.forward-headers-strategy=native); pages carry the CSP and Referrer-Policy.
     */
    @Test
    void theSessionCookieIsLaxAndSecureOverTls() throws Exception {
        try (ConfigurableApplicationContext context = SpringApplication.run(AnonymiserApplication.class,
                arguments("--anonymiser.mode=server", "--server.port=0", "--server.address=127.0.0.1",
                        "--anonymiser.metrics.eligible-refresh=0", "--server.forward-headers-strategy=native"))) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            context.getBean(JdbcTemplate.class).update("""
                    insert into app_user (id, username, display_name, password_hash, role)
                    values (1, 'admin', 'Admin', ?, 'ADMIN')""",
                    "{bcrypt}" + new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder().encode("demo"));
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> page = get("http://127.0.0.1:" + port + "/login");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                    csp -> assertThat(csp).contains("default-src 'self'", "frame-ancestors 'none'"));
            assertThat(page.headers().firstValue("Referrer-Policy")).contains("same-origin");
            String plainCookie = sessionCookie(page);
            assertThat(plainCookie).contains("SameSite=Lax").contains("HttpOnly").doesNotContain("Secure");
            java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"")
                .matcher(page.body());
            assertThat(csrf.find()).isTrue();

            HttpResponse<String> signedIn = client.send(HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", plainCookie.substring(0, plainCookie.indexOf(';')))
                .header("X-Forwarded-Proto", "https")
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=demo&_csrf="
                        + java.net.URLEncoder.encode(csrf.group(1), java.nio.charset.StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(signedIn.statusCode()).isEqualTo(302);
            assertThat(sessionCookie(signedIn)).contains("Secure").contains("SameSite=Lax").contains("HttpOnly");
        }
    }

    static String sessionCookie(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream()
            .filter(cookie -> cookie.startsWith("JSESSIONID="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no session cookie in " + response.headers().map()));
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
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
