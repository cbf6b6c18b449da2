package org.clubanonymiser.launch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns the launch mode into the properties that drive Spring Boot: only task mode lets Spring Cloud Task's job
 * runner start a job (with {@code fail-on-job-failure}, so a failed job exits non-zero); only server mode starts a
 * web server, with {@code /actuator/prometheus} exposed on the management port ({@code server.port + 1}, bound to
 * 127.0.0.1). Task mode starts only what its one job needs (docs/operations.md, "JVM options: start-up time"): no
 * auto-configuration that serves a server alone (health and endpoints, security, templates, HTTP converters; the JMS
 * broker client unless the job partitions over it), and, unless it partitions over the broker, lazy initialisation,
 * so that of all the jobs' beans only the named job's are created ({@link TaskStartupConfiguration}). Added last, so
 * explicit settings still win.
 */
class LaunchModeEnvironmentPostProcessor implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        LaunchMode mode = LaunchMode.of(environment);
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("spring.batch.job.enabled", mode == LaunchMode.TASK);
        String partitioning = environment.getProperty(LaunchMode.PARTITIONING_MODE_PROPERTY, "local");
        if (mode == LaunchMode.TASK) {
            defaults.put("spring.autoconfigure.exclude", String.join(",", taskModeExclusions(partitioning)));
            // Not for a remote-partitioning manager: its messaging flows must be wired before the job sends to them.
            defaults.put("spring.main.lazy-initialization", "local".equalsIgnoreCase(partitioning));
        }
        if (mode != LaunchMode.SERVER) {
            defaults.put("spring.main.web-application-type", "none");
        }
        else {
            // Only a server is scraped; a task lives for one job.
            defaults.put("management.endpoints.web.exposure.include", "health,info,prometheus");
            // The actuator (per-club counts, request metrics) on its own port, reachable from this host only, never
            // on the UI's port: server.port + 1 (8081 by default; 0, a free port, when server.port is 0).
            defaults.put("management.server.address", "127.0.0.1");
            defaults.put("management.server.port", managementPort(environment.getProperty("server.port", "8080")));
        }
        // Only a manager or a worker talks to the broker; elsewhere a JMS health check would report it missing.
        defaults.put("management.health.jms.enabled", !"local".equalsIgnoreCase(partitioning));
        environment.getPropertySources().addLast(new MapPropertySource("anonymiserLaunchMode", defaults));
    }

    /**
     * What a task process never uses: the health contributors and actuator endpoints (a task has no web server to
     * serve them, and is not probed), Spring Security's and Thymeleaf's (the web UI's), the HTTP message converters,
     * and the JMS broker client unless the job is a remote-partitioning manager or worker. Metrics stay: they are
     * pushed to the Pushgateway.
     */
    static List<String> taskModeExclusions(String partitioning) {
        List<String> exclusions = new ArrayList<>(List.of(
                "org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration",
                "org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration",
                "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration",
                "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration",
                "org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration",
                "org.springframework.boot.health.autoconfigure.application.DiskSpaceHealthContributorAutoConfiguration",
                "org.springframework.boot.health.autoconfigure.application.SslHealthContributorAutoConfiguration",
                "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration",
                "org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration",
                "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
                "org.springframework.boot.jms.autoconfigure.health.JmsHealthContributorAutoConfiguration",
                "org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
                "org.springframework.boot.thymeleaf.autoconfigure.ThymeleafAutoConfiguration"));
        if ("local".equalsIgnoreCase(partitioning)) {
            exclusions.add("org.springframework.boot.artemis.autoconfigure.ArtemisAutoConfiguration");
            exclusions.add("org.springframework.boot.jms.autoconfigure.JmsAutoConfiguration");
        }
        return exclusions;
    }

    static String managementPort(String serverPort) {
        try {
            int port = Integer.parseInt(serverPort.strip());
            return port <= 0 ? "0" : Integer.toString(port + 1);
        }
        catch (NumberFormatException ex) {
            return "8081";
        }
    }
}
