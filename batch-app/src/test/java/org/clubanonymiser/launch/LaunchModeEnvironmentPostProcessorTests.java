package org.clubanonymiser.launch;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** The properties each launch mode turns into: what task mode leaves out of its start-up, and what it keeps. */
class LaunchModeEnvironmentPostProcessorTests {

    static final String ARTEMIS = "org.springframework.boot.artemis.autoconfigure.ArtemisAutoConfiguration";

    static final String HEALTH =
            "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration";

    @Test
    void aTaskIsLazyAndLeavesTheServerOnlyAutoConfigurationOut() {
        StandardEnvironment environment = launch(Map.of("spring.batch.job.name", "exportJob"));

        assertThat(environment.getProperty("spring.main.lazy-initialization", Boolean.class)).isTrue();
        assertThat(exclusions(environment)).contains(HEALTH, ARTEMIS);
        assertThat(environment.getProperty("spring.main.web-application-type")).isEqualTo("none");
        assertThat(environment.getProperty("management.server.port")).isNull();
        assertThat(TaskStartupConfiguration.selectedJob(environment)).isEqualTo("exportJob");
    }

    @Test
    void aRemotePartitioningManagerKeepsItsBrokerClientAndStartsEagerly() {
        StandardEnvironment environment = launch(Map.of("spring.batch.job.name", "chainExportJob",
                "anonymiser.partitioning.mode", "manager"));

        assertThat(environment.getProperty("spring.main.lazy-initialization", Boolean.class)).isFalse();
        assertThat(exclusions(environment)).contains(HEALTH).doesNotContain(ARTEMIS);
        assertThat(TaskStartupConfiguration.selectedJob(environment)).isNull();
    }

    @Test
    void explicitSettingsWin() {
        StandardEnvironment environment = launch(Map.of("spring.batch.job.name", "exportJob",
                "spring.main.lazy-initialization", "false"));

        assertThat(TaskStartupConfiguration.selectedJob(environment)).isNull();
    }

    @Test
    void serverModeAndAWorkerAreNeitherLazyNorTrimmed() {
        StandardEnvironment server = launch(Map.of("anonymiser.mode", "server"));
        StandardEnvironment worker = launch(Map.of("anonymiser.partitioning.mode", "worker"));

        for (StandardEnvironment environment : List.of(server, worker)) {
            assertThat(environment.getProperty("spring.main.lazy-initialization")).isNull();
            assertThat(environment.getProperty("spring.autoconfigure.exclude")).isNull();
        }
        assertThat(server.getProperty("management.server.port")).isEqualTo("8081");
        assertThat(worker.getProperty("management.server.port")).isNull();
        assertThat(worker.getProperty("spring.main.web-application-type")).isEqualTo("none");
    }

    private static StandardEnvironment launch(Map<String, Object> arguments) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("commandLineArgs", arguments));
        new LaunchModeEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    private static List<String> exclusions(StandardEnvironment environment) {
        return List.of(environment.getRequiredProperty("spring.autoconfigure.exclude").split(","));
    }
}
