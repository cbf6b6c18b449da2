package org.clubanonymiser.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.core.io.ClassPathResource;

/**
 * Data Flow's database as Data Flow creates it for a {@code bootVersion=3} task app, for tests: Spring Batch's and
 * Spring Cloud Task's H2 scripts with the {@code BOOT3_} prefixes and Batch 5's {@code JOB_SEQ} sequence name.
 */
public final class DataFlowMetadataSchema {

    private DataFlowMetadataSchema() {
    }

    /** The statements creating the {@code BOOT3_BATCH_*} and {@code BOOT3_TASK_*} tables and sequences. */
    public static List<String> statements() throws IOException {
        String batch = new ClassPathResource("org/springframework/batch/core/schema-h2.sql")
            .getContentAsString(StandardCharsets.UTF_8)
            .replace("BATCH_JOB_INSTANCE_SEQ", "BATCH_JOB_SEQ")
            .replace("BATCH_", "BOOT3_BATCH_");
        String task = new ClassPathResource("org/springframework/cloud/task/schema-h2.sql")
            .getContentAsString(StandardCharsets.UTF_8)
            // Table and sequence names only: the columns are TASK_EXECUTION_ID, ...
            .replaceAll("\\bTASK_(EXECUTION_PARAMS|EXECUTION|TASK_BATCH|SEQ|LOCK)\\b", "BOOT3_TASK_$1");
        List<String> statements = new ArrayList<>();
        for (String script : List.of(batch, task)) {
            for (String sql : script.split(";")) {
                String statement = sql.lines().filter(line -> !line.strip().startsWith("--")).reduce("",
                        (a, b) -> a + "\n" + b).strip();
                if (!statement.isEmpty()) {
                    statements.add(statement);
                }
            }
        }
        return statements;
    }
}
