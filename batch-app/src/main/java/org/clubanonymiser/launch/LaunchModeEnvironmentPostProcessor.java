package org.clubanonymiser.launch;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns the launch mode into the properties that drive Spring Boot: only task mode lets Spring Cloud Task's job
 * runner start a job (with {@code fail-on-job-failure}, so a failed job exits non-zero); only server mode starts a
 * web server, with {@code /actuator/prometheus} exposed on the management port ({@code server.port + 1}, bound to
 * 127.0.0.1). Added last, so explicit settings still win.
 */
class LaunchModeEnvironmentPostProcessor implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        LaunchMode mode = LaunchMode.of(environment);
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("spring.batch.job.enabled", mode == LaunchMode.TASK);
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
        String partitioning = environment.getProperty(LaunchMode.PARTITIONING_MODE_PROPERTY, "local");
        // Only a manager or a worker talks to the broker; elsewhere a JMS health check would report it missing.
        defaults.put("management.health.jms.enabled", !"local".equalsIgnoreCase(partitioning));
        environment.getPropertySources().addLast(new MapPropertySource("anonymiserLaunchMode", defaults));
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
