package org.clubanonymiser.server;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.clubanonymiser.support.database.InLists;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes old Spring Batch and Spring Cloud Task metadata, so that it does not grow without bound, in the metadata
 * database (the product database, or Data Flow's), with the configured table prefixes ({@code BATCH_}/{@code TASK_}
 * by default, {@code BOOT3_BATCH_}/{@code BOOT3_TASK_} under Data Flow):
 * <ul>
 * <li>{@link #deleteJobInstancesEndedBefore}: job instances whose executions all ended before the cutoff, with their
 * executions, parameters, contexts, step executions, and the product's {@code job_heartbeat} rows. An instance with
 * an execution that has no end time (running, or left STARTED by a crash and not yet recovered) or that ended
 * after the cutoff is kept whole: a failed instance is restartable until it is deleted.</li>
 * <li>{@link #deleteTaskExecutionsEndedBefore}: task executions that ended before the cutoff and none of whose job
 * executions is still kept, with their parameters, their {@code TASK_TASK_BATCH} links and, in Data Flow's
 * database, their launch manifest ({@code <prefix>EXECUTION_METADATA}). A task execution without an end time is
 * never deleted: it is running (a server-mode process is one task execution for its whole life) or crashed.</li>
 * </ul>
 * Run the job instances first: a task execution is deleted only once its job executions are gone. Each batch of
 * {@value #DELETE_BATCH} is its own transaction, children first (the foreign keys), and checks its instances again
 * (a restart launched meanwhile keeps its instance); a second run deletes what a failed run left. Nothing personal is
 * read or logged: ids and counts only.
 */
class MetadataHousekeeping {

    static final int DELETE_BATCH = 500;

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_]{1,30}");

    private final NamedParameterJdbcTemplate metadata;

    private final TransactionTemplate metadataTransaction;

    private final NamedParameterJdbcTemplate product;

    private final String batch;

    private final String task;

    private final boolean taskManifestTable;

    /**
     * @param metadataDataSource where the {@code <batchPrefix>*} and {@code <taskPrefix>*} tables are
     * @param productDataSource  where {@code job_heartbeat} is (the same database when there is only one)
     */
    public MetadataHousekeeping(DataSource metadataDataSource, DataSource productDataSource, String batchPrefix,
            String taskPrefix) {
        this.metadata = new NamedParameterJdbcTemplate(metadataDataSource);
        this.metadataTransaction = new TransactionTemplate(new JdbcTransactionManager(metadataDataSource));
        this.product = new NamedParameterJdbcTemplate(productDataSource);
        // Prefixes come from configuration, never from a user; still, they are spliced into SQL: check them.
        this.batch = checked(batchPrefix);
        this.task = checked(taskPrefix);
        this.taskManifestTable = tableExists(metadataDataSource, task + "EXECUTION_METADATA");
    }

    private static String checked(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("Not a table prefix: " + prefix);
        }
        return prefix;
    }

    /** Whether the table exists, looked up once (a failed statement would abort a PostgreSQL transaction). */
    private static boolean tableExists(DataSource dataSource, String table) {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            for (String name : List.of(table.toUpperCase(Locale.ROOT), table.toLowerCase(Locale.ROOT), table)) {
                try (ResultSet tables = metaData.getTables(null, null, name, new String[] { "TABLE" })) {
                    if (tables.next()) {
                        return true;
                    }
                }
            }
            return false;
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot read the metadata database's tables", ex);
        }
    }

    /** @return the number of job instances deleted */
    public int deleteJobInstancesEndedBefore(Timestamp cutoff) {
        List<Long> instances = metadata.queryForList(oldInstances(""),
                new MapSqlParameterSource("cutoff", cutoff), Long.class);
        int deleted = 0;
        for (int from = 0; from < instances.size(); from += DELETE_BATCH) {
            deleted += deleteInstances(instances.subList(from, Math.min(from + DELETE_BATCH, instances.size())),
                    cutoff);
        }
        return deleted;
    }

    /** Instances whose executions all ended before {@code :cutoff} (and that have one), among {@code and...}. */
    private String oldInstances(String and) {
        return """
                select i.job_instance_id from %1$sjob_instance i
                where exists (select 1 from %1$sjob_execution e where e.job_instance_id = i.job_instance_id)
                    and not exists (select 1 from %1$sjob_execution e
                        where e.job_instance_id = i.job_instance_id
                            and (e.end_time is null or e.end_time >= :cutoff))
                    %2$s
                order by i.job_instance_id""".formatted(batch, and);
    }

    private int deleteInstances(List<Long> candidates, Timestamp cutoff) {
        List<Long> executionIds = new ArrayList<>();
        Integer deleted = metadataTransaction.execute(status -> {
            // Checked again in the deleting transaction: a restart launched since the first query keeps its instance.
            List<Long> instanceIds = metadata.queryForList(oldInstances("and i.job_instance_id in (:ids)"),
                    new MapSqlParameterSource("cutoff", cutoff).addValue("ids", candidates), Long.class);
            if (instanceIds.isEmpty()) {
                return 0;
            }
            MapSqlParameterSource ids = new MapSqlParameterSource("ids", instanceIds);
            executionIds.addAll(metadata.queryForList(
                    "select job_execution_id from " + batch + "job_execution where job_instance_id in (:ids)", ids,
                    Long.class));
            String executions = "select e.job_execution_id from " + batch
                    + "job_execution e where e.job_instance_id in (:ids)";
            metadata.update("delete from " + batch + "step_execution_context where step_execution_id in ("
                    + "select s.step_execution_id from " + batch + "step_execution s where s.job_execution_id in ("
                    + executions + "))", ids);
            metadata.update("delete from " + batch + "step_execution where job_execution_id in (" + executions
                    + ")", ids);
            metadata.update("delete from " + batch + "job_execution_context where job_execution_id in ("
                    + executions + ")", ids);
            metadata.update("delete from " + batch + "job_execution_params where job_execution_id in ("
                    + executions + ")", ids);
            metadata.update("delete from " + batch + "job_execution where job_instance_id in (:ids)", ids);
            metadata.update("delete from " + batch + "job_instance where job_instance_id in (:ids)", ids);
            return instanceIds.size();
        });
        // The product's side (its own database when there are two); a leftover beat is harmless and goes next run.
        // An instance can have many executions: sliced, as Oracle takes at most 1,000 values in one IN list.
        for (List<Long> slice : InLists.slices(executionIds)) {
            product.update("delete from job_heartbeat where job_execution_id in (:ids)",
                    new MapSqlParameterSource("ids", slice));
        }
        return deleted == null ? 0 : deleted;
    }

    /** @return the number of task executions deleted */
    public int deleteTaskExecutionsEndedBefore(Timestamp cutoff) {
        List<Long> executions = metadata.queryForList("""
                select t.task_execution_id from %1$sexecution t
                where t.end_time is not null and t.end_time < :cutoff
                    and not exists (select 1 from %1$stask_batch tb
                        join %2$sjob_execution e on e.job_execution_id = tb.job_execution_id
                        where tb.task_execution_id = t.task_execution_id)
                order by t.task_execution_id""".formatted(task, batch),
                new MapSqlParameterSource("cutoff", cutoff), Long.class);
        for (int from = 0; from < executions.size(); from += DELETE_BATCH) {
            MapSqlParameterSource ids = new MapSqlParameterSource("ids",
                    executions.subList(from, Math.min(from + DELETE_BATCH, executions.size())));
            metadataTransaction.executeWithoutResult(status -> {
                metadata.update("delete from " + task + "task_batch where task_execution_id in (:ids)", ids);
                metadata.update("delete from " + task + "execution_params where task_execution_id in (:ids)", ids);
                if (taskManifestTable) {
                    metadata.update("delete from " + task + "execution_metadata where task_execution_id in (:ids)",
                            ids);
                }
                metadata.update("delete from " + task + "execution where task_execution_id in (:ids)", ids);
            });
        }
        return executions.size();
    }

    /** For tests and logs: the prefixes in use. */
    @Override
    public String toString() {
        return "MetadataHousekeeping[" + batch + "*, " + task + "*]";
    }
}
