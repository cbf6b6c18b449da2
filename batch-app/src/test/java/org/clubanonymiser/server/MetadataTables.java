package org.clubanonymiser.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Test-only DDL of the metadata tables with any prefix: Spring Batch's own script (with Batch 5's {@code JOB_SEQ}
 * name, as in Data Flow's database), and Spring Cloud Task's tables as its {@code schema-*.sql} defines them (batch-jobs
 * does not depend on Spring Cloud Task), plus Data Flow's {@code <prefix>EXECUTION_METADATA} (the launch manifest).
 */
final class MetadataTables {

    private MetadataTables() {
    }

    static void createBatchTables(JdbcTemplate jdbc, String platform, String prefix) {
        String script;
        try {
            script = new ClassPathResource("org/springframework/batch/core/schema-" + platform + ".sql")
                .getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        // H2's Oracle mode does not parse Oracle's storage clause (no effect on what a query sees).
        execute(jdbc, script.replace(" SEGMENT CREATION IMMEDIATE", "")
            .replace("BATCH_JOB_INSTANCE_SEQ", "BATCH_JOB_SEQ")
            .replace("BATCH_", prefix));
    }

    /** {@code if not exists}: the default-prefixed tables may be shared by the test classes of one context. */
    static void createTaskTables(JdbcTemplate jdbc, String prefix, boolean dataFlowManifest) {
        execute(jdbc, """
                create table if not exists %1$sEXECUTION (
                    TASK_EXECUTION_ID bigint not null primary key, START_TIME timestamp, END_TIME timestamp,
                    TASK_NAME varchar(100), EXIT_CODE integer, EXIT_MESSAGE varchar(2500),
                    ERROR_MESSAGE varchar(2500), LAST_UPDATED timestamp, EXTERNAL_EXECUTION_ID varchar(255),
                    PARENT_EXECUTION_ID bigint);
                create table if not exists %1$sEXECUTION_PARAMS (
                    TASK_EXECUTION_ID bigint not null, TASK_PARAM varchar(2500),
                    constraint %1$sEXEC_PARAMS_FK foreign key (TASK_EXECUTION_ID)
                        references %1$sEXECUTION (TASK_EXECUTION_ID));
                create table if not exists %1$sTASK_BATCH (
                    TASK_EXECUTION_ID bigint not null, JOB_EXECUTION_ID bigint not null,
                    constraint %1$sEXEC_BATCH_FK foreign key (TASK_EXECUTION_ID)
                        references %1$sEXECUTION (TASK_EXECUTION_ID));
                """.formatted(prefix));
        if (dataFlowManifest) {
            execute(jdbc, """
                    create table %1$sEXECUTION_METADATA (
                        ID bigint not null primary key, TASK_EXECUTION_ID bigint not null,
                        TASK_EXECUTION_MANIFEST text,
                        constraint %1$sMETADATA_FK foreign key (TASK_EXECUTION_ID)
                            references %1$sEXECUTION (TASK_EXECUTION_ID));
                    """.formatted(prefix));
        }
    }

    private static void execute(JdbcTemplate jdbc, String script) {
        Arrays.stream(script.split(";"))
            .map(sql -> sql.lines().filter(line -> !line.strip().startsWith("--")).reduce("", (a, b) -> a + "\n" + b))
            .map(String::strip)
            .filter(sql -> !sql.isEmpty())
            .forEach(jdbc::execute);
    }
}
