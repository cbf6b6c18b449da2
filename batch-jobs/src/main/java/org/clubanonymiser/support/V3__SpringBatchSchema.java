package org.clubanonymiser.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import org.clubanonymiser.support.database.DatabasePlatform;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
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
        Connection connection = context.getConnection();
        DatabasePlatform platform = DatabasePlatform.of(connection);
        Resource script = new ClassPathResource(
                "org/springframework/batch/core/schema-" + platform.batchScriptSuffix() + ".sql");
        if (platform == DatabasePlatform.ORACLE && DatabasePlatform.runsOnH2(connection)) {
            script = withoutOracleStorageClauses(script);
        }
        // Flyway owns the connection and its transaction: run on it, never close it.
        new ResourceDatabasePopulator(script).execute(new SingleConnectionDataSource(connection, true));
    }

    /**
     * Spring Batch's Oracle script, as H2's Oracle mode can parse it: without {@code SEGMENT CREATION IMMEDIATE}, a
     * physical storage clause (when Oracle allocates the table's first extent) that changes nothing a query sees.
     */
    static Resource withoutOracleStorageClauses(Resource script) throws IOException {
        String sql = script.getContentAsString(StandardCharsets.UTF_8);
        return new ByteArrayResource(sql.replaceAll("(?i)\\s+SEGMENT\\s+CREATION\\s+IMMEDIATE", "")
            .getBytes(StandardCharsets.UTF_8), script.getDescription());
    }
}
