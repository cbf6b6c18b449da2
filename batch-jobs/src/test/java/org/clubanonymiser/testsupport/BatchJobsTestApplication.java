package org.clubanonymiser.testsupport;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The jobs module's test application: every job and support bean of {@code org.clubanonymiser}, on the database a
 * test picks with {@link H2Database} or {@link PostgresDatabase}. Not in the root package, so that the app module's
 * own {@code @SpringBootApplication} stays the only one there.
 */
@SpringBootApplication(scanBasePackages = "org.clubanonymiser")
public class BatchJobsTestApplication {
}
