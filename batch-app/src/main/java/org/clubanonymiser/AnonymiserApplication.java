package org.clubanonymiser;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.task.configuration.EnableTask;

@SpringBootApplication
@EnableTask
public class AnonymiserApplication {
    public static void main(String[] args) {
        int exitCode;
        try {
            exitCode = SpringApplication.exit(SpringApplication.run(AnonymiserApplication.class, args));
        }
        catch (RuntimeException ex) {
            // Spring Boot has already reported the failure (a failed job, a refused launch): just exit non-zero.
            exitCode = 1;
        }
        System.exit(exitCode);
    }
}
