package org.clubanonymiser;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.task.configuration.EnableTask;

@SpringBootApplication
@EnableTask
public class AnonymiserApplication {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the application as {@code main} does, without exiting the JVM.
     *
     * @return the process exit code: 0 only when the job completed (or the server stopped cleanly)
     */
    public static int run(String... args) {
        try {
            return SpringApplication.exit(SpringApplication.run(AnonymiserApplication.class, args));
        }
        catch (RuntimeException ex) {
            // Spring Boot has already reported the failure (a failed job, a refused launch): just exit non-zero.
            return 1;
        }
    }
}
