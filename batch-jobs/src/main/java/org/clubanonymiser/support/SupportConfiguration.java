package org.clubanonymiser.support;

import java.io.File;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

import javax.sql.DataSource;

import org.apache.poi.util.DefaultTempFileCreationStrategy;
import org.apache.poi.util.TempFile;
import org.flywaydb.core.api.migration.JavaMigration;

import org.clubanonymiser.support.account.UserAccountRepository;
import org.clubanonymiser.support.database.DatabasePlatform;
import org.clubanonymiser.support.database.H2FileCompaction;
import org.clubanonymiser.support.database.ReleasedMigrationEdits;
import org.clubanonymiser.support.database.ResidueProperties;
import org.clubanonymiser.support.database.SanitisingDataSource;
import org.clubanonymiser.support.execution.ExecutionClaims;
import org.clubanonymiser.support.execution.ExecutionHeartbeat;
import org.clubanonymiser.support.execution.ExecutionRecovery;
import org.clubanonymiser.support.execution.JobListenerRegistrar;
import org.clubanonymiser.support.execution.JobLoggingContext;
import org.clubanonymiser.support.storage.StorageLayout;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.ExecutionContextSerializer;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.dao.JacksonExecutionContextStringSerializer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Infrastructure every job shares: storage folders, the schema (business migrations from {@code sql/} plus Spring
 * Batch's own tables), execution heartbeats and access rules. See docs/configuration.md.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ AnonymiserProperties.class, ResidueProperties.class })
public class SupportConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemDefaultZone();
    }

    @Bean
    StorageLayout storageLayout(AnonymiserProperties properties) {
        StorageLayout storage = new StorageLayout(properties.storageDir());
        storage.sweepOrphans();
        File poiTemp = storage.tempDir().resolve("poi").toFile();
        // POI's SXSSF writes whole sheets to temp files: keep them in our swept, per-process dir, never /tmp.
        TempFile.setTempFileCreationStrategy(new DefaultTempFileCreationStrategy(poiTemp));
        return storage;
    }

    /**
     * H2 and PostgreSQL share the business migrations, Oracle (and H2 in Oracle mode) has its own; plus a folder each
     * for triggers, chosen by the engine (see {@link DatabasePlatform#migrationFolders(boolean)}).
     */
    @Bean
    FlywayConfigurationCustomizer anonymiserMigrationLocations() {
        return configuration -> {
            try (Connection connection = configuration.getDataSource().getConnection()) {
                configuration.locations(DatabasePlatform.migrationFolders(connection).stream()
                    .map(folder -> "classpath:db/migration/" + folder)
                    .toArray(String[]::new));
            }
            catch (SQLException ex) {
                throw new IllegalStateException("Cannot read the database's product name", ex);
            }
        };
    }

    @Bean
    ReleasedMigrationEdits releasedMigrationEdits() {
        return new ReleasedMigrationEdits();
    }

    @Bean
    JavaMigration springBatchSchemaMigration() {
        return new V3__SpringBatchSchema();
    }

    @Bean
    ExecutionHeartbeat executionHeartbeat(DataSource dataSource, Clock clock, AnonymiserProperties properties) {
        return new ExecutionHeartbeat(new JdbcTemplate(dataSource), clock, properties.recovery().heartbeat());
    }

    @Bean
    JobLoggingContext jobLoggingContext() {
        return new JobLoggingContext();
    }

    /** Static: a post-processor must not drag the configuration's other beans into early creation. */
    @Bean
    static JobListenerRegistrar jobListenerRegistrar(ObjectProvider<ExecutionHeartbeat> heartbeat,
            ObjectProvider<JobLoggingContext> loggingContext) {
        return new JobListenerRegistrar(heartbeat, loggingContext);
    }

    /**
     * Every {@code DataSource} of the context is wrapped so that no JDBC error message carries personal data into
     * Spring Batch's exit messages, Spring Cloud Task's records or the logs; see {@link SanitisingDataSource}.
     */
    @Bean
    static BeanPostProcessor sanitisingDataSourceWrapper() {
        return new BeanPostProcessor() {

            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof DataSource dataSource && !(bean instanceof SanitisingDataSource)
                        ? new SanitisingDataSource(dataSource) : bean;
            }
        };
    }

    /** One running execution per job instance, even for launches at the same moment; see {@link ExecutionClaims}. */
    @Bean
    static ExecutionClaims executionClaims(ObjectProvider<JdbcTemplate> jdbcTemplate, ObjectProvider<Clock> clock) {
        return new ExecutionClaims(jdbcTemplate, clock);
    }

    @Bean
    ExecutionRecovery executionRecovery(JobRepository jobRepository, JobOperator jobOperator,
            ExecutionHeartbeat heartbeat, Clock clock, AnonymiserProperties properties) {
        return new ExecutionRecovery(jobRepository, jobOperator, heartbeat, clock, properties.recovery().lease());
    }

    /**
     * The transaction manager of the jobs' chunks, named and primary: Spring Cloud Task registers one of its own,
     * so job configurations ask for this one by name.
     */
    @Bean
    @Primary
    JdbcTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }

    /**
     * Execution contexts as JSON with an allow-list of plain JDK and Spring Batch types, instead of Java
     * serialisation: readable by ops, and no arbitrary class is ever deserialised from the database. Our own
     * context keys hold only numbers (row positions, counts), never personal data.
     */
    @Bean
    ExecutionContextSerializer executionContextSerializer() {
        return new JacksonExecutionContextStringSerializer();
    }

    @Bean
    H2FileCompaction h2FileCompaction(DataSource dataSource, ResidueProperties residueProperties,
            ExecutionHeartbeat executionHeartbeat, Clock clock) {
        return new H2FileCompaction(dataSource, residueProperties, executionHeartbeat::runningExecutions, clock);
    }

    /** Before the pool starts: a local H2 file's pool must be suspendable for the compaction in server mode. */
    @Bean
    static BeanPostProcessor h2PoolSuspension() {
        return new BeanPostProcessor() {

            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                H2FileCompaction.allowPoolSuspension(bean);
                return bean;
            }
        };
    }

    @Bean
    UserAccess userAccess(UserAccountRepository userAccountRepository) {
        return new UserAccess(userAccountRepository);
    }
}
