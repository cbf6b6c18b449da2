package org.clubanonymiser;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.cloud.task.configuration.EnableTask;

@SpringBootApplication
@EnableTask
public class AnonymiserApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context;
        try {
            context = SpringApplication.run(AnonymiserApplication.class, args);
        }
        catch (RuntimeException ex) {
            // Spring Boot has already reported the failure (a failed job, a refused launch): just exit non-zero.
            System.exit(1);
            return;
        }
        if (!isServer(context)) {
            System.exit(SpringApplication.exit(context));
        }
    }

    /**
     * Runs the application in task mode as {@code main} does, without exiting the JVM.
     *
     * @return the process exit code: 0 only when the job completed
     */
    public static int run(String... args) {
        try {
            return SpringApplication.exit(SpringApplication.run(AnonymiserApplication.class, args));
        }
        catch (RuntimeException ex) {
            return 1;
        }
    }

    /** Server mode and a partition worker stay up until stopped; every other mode ends with its job. */
    private static boolean isServer(ConfigurableApplicationContext context) {
        return "server".equalsIgnoreCase(context.getEnvironment().getProperty("anonymiser.mode"))
                || !context.getEnvironment().containsProperty("spring.batch.job.name") && "worker".equalsIgnoreCase(
                        context.getEnvironment().getProperty("anonymiser.partitioning.mode"));
    }
}
