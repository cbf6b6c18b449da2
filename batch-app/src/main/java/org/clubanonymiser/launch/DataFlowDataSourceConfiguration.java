package org.clubanonymiser.launch;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.batch.autoconfigure.BatchTransactionManager;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchDataSource;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.cloud.task.configuration.DefaultTaskConfigurer;
import org.springframework.cloud.task.configuration.TaskConfigurer;
import org.springframework.cloud.task.configuration.TaskProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * Two databases, for Spring Cloud Data Flow: turned on by {@code anonymiser.datasource.url}.
 * <p>
 * Data Flow hands every task the {@code spring.datasource.*} of <em>its own</em> database, and reads the task's
 * {@code BOOT3_TASK_*} and {@code BOOT3_BATCH_*} tables there (it created them; for an app registered with
 * {@code bootVersion=3} it also passes {@code spring.cloud.task.tablePrefix=BOOT3_TASK_},
 * {@code spring.batch.jdbc.table-prefix=BOOT3_BATCH_} and {@code spring.cloud.task.initialize-enabled=false}). The
 * members and the product's tables live in the product database, which Data Flow knows nothing of. So, when
 * {@code anonymiser.datasource.*} is set:
 * <ul>
 * <li>{@code anonymiser.datasource.*}: the product database, the {@code @Primary} {@code DataSource}: every job,
 * Flyway (only there: nothing is ever created in Data Flow's database), the {@code transactionManager} of the
 * chunks;</li>
 * <li>{@code spring.datasource.*}: the metadata database (Data Flow's): Spring Batch's job repository
 * ({@link BatchDataSource}, with its own {@link BatchTransactionManager}) and Spring Cloud Task's repository
 * ({@link TaskConfigurer}), each with the prefix Data Flow passed.</li>
 * </ul>
 * Without {@code anonymiser.datasource.url} this configuration is off: one database holds everything (the embedded
 * default, and a standalone or nightly-mode deployment).
 * <p>
 * What two databases cost: a chunk's business writes (product) and its step-execution update (metadata) commit in two
 * local transactions, the metadata one first (the job repository runs in its own transaction on the metadata
 * database). A crash between the two commits leaves the metadata one chunk ahead of the product database. So the
 * restartable chunk steps keep their restart position in the product database too, committed with each chunk
 * ({@code anonymisation_import.last_committed_row}, {@code anonymisation_export.last_scanned_member_id}), and resume
 * from it when the step execution context disagrees: nothing skipped, nothing done twice
 * (docs/operations.md#data-flow).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("anonymiser.datasource.url")
class DataFlowDataSourceConfiguration {

    /** The product database: {@code anonymiser.datasource.url}, {@code username}, {@code password}, ... */
    @Bean
    @Primary
    @ConfigurationProperties("anonymiser.datasource")
    DataSourceProperties productDataSourceProperties() {
        return new DataSourceProperties();
    }

    @Bean
    @Primary
    @FlywayDataSource
    @ConfigurationProperties("anonymiser.datasource.hikari")
    HikariDataSource dataSource(
            @Qualifier("productDataSourceProperties") DataSourceProperties productDataSourceProperties) {
        return hikari(productDataSourceProperties, "product");
    }

    /** Data Flow's database, as Data Flow passes it: {@code spring.datasource.*}. */
    @Bean
    @ConfigurationProperties("spring.datasource")
    DataSourceProperties metadataDataSourceProperties() {
        return new DataSourceProperties();
    }

    @Bean
    @BatchDataSource
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource metadataDataSource(
            @Qualifier("metadataDataSourceProperties") DataSourceProperties metadataDataSourceProperties) {
        return hikari(metadataDataSourceProperties, "metadata");
    }

    private static HikariDataSource hikari(DataSourceProperties properties, String poolName) {
        HikariDataSource dataSource = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        dataSource.setPoolName(poolName);
        return dataSource;
    }

    /** The job repository's transactions, on the metadata database; chunks keep the product's. */
    @Bean
    @BatchTransactionManager
    JdbcTransactionManager metadataTransactionManager(@Qualifier("metadataDataSource") DataSource metadataDataSource) {
        return new JdbcTransactionManager(metadataDataSource);
    }

    /** Spring Cloud Task's TASK_* records (and TASK_TASK_BATCH links) on the metadata database too. */
    @Bean
    TaskConfigurer taskConfigurer(@Qualifier("metadataDataSource") DataSource metadataDataSource,
            TaskProperties taskProperties, ApplicationContext context) {
        return new DefaultTaskConfigurer(metadataDataSource, taskProperties.getTablePrefix(), context,
                taskProperties);
    }
}
