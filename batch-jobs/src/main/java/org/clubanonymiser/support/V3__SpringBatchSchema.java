package org.clubanonymiser.support;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import org.clubanonymiser.support.database.DatabasePlatform;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Creates Spring Batch's {@code BATCH_*} tables from the script shipped in Spring Batch's own jar, as a versioned
 * Flyway migration: the schema is created exactly once, in order with ours, on every supported database.
 */
class V3__SpringBatchSchema extends BaseJavaMigration {
    // Flyway derives version 3 and the description from this class's name.

    @Override
    public void migrate(Context context) throws Exception {
        DatabasePlatform platform = DatabasePlatform.of(context.getConnection());
        ResourceDatabasePopulator populator = new ResourceDatabasePopulator(new ClassPathResource(
                "org/springframework/batch/core/schema-" + platform.batchScriptSuffix() + ".sql"));
        // Flyway owns the connection and its transaction: run on it, never close it.
        populator.execute(new SingleConnectionDataSource(context.getConnection(), true));
    }
}
