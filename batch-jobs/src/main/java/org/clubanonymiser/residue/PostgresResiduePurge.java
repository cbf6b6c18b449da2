package org.clubanonymiser.residue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's residue purge: an UPDATE or DELETE leaves the old row version in the table's pages (and its index
 * entries) until VACUUM, and a plain VACUUM only marks the space free, the bytes stay. {@code VACUUM FULL} writes each
 * table (its indexes and TOAST table with it) into new files from the live rows only; at commit PostgreSQL truncates
 * the old files to zero length (and removes them at the next checkpoint). Then {@code CHECKPOINT} flushes the new
 * files and lets the WAL segments written before it be recycled, and {@code pg_switch_wal()} closes the current
 * segment. The planner's statistics, which sample column values, are recomputed by the ANALYZE and their old
 * versions rewritten away ({@code pg_statistic}, superuser only). What this cannot reach: WAL segments already archived ({@code archive_command}), kept for replication
 * ({@code wal_keep_size}, slots), recycled segments not yet overwritten, and backups (see the privacy docs).
 * <p>
 * Permissions, checked before any table is touched: {@code VACUUM FULL} needs the table's owner (or the database's
 * owner, or a superuser); a non-owner's VACUUM only warns and skips, so the check fails the purge instead, naming the
 * tables and their owners. {@code CHECKPOINT} and {@code pg_switch_wal()} need a superuser (or the
 * {@code pg_checkpoint} role, PostgreSQL 15+, and {@code GRANT EXECUTE ON FUNCTION pg_switch_wal()}): without them
 * the table files are already clean and the purge completes, saying which of the two did not run. {@code VACUUM}
 * cannot run inside a transaction block: each statement runs on a connection of its own in auto-commit. Each table
 * waits at most {@code lockTimeout} for its exclusive lock (a running job holds row locks), else the purge fails and
 * may be run again. The log says the table, its size before and after and the time: no value.
 */
class PostgresResiduePurge {

    private static final Logger log = LoggerFactory.getLogger(PostgresResiduePurge.class);

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    /** What the purge did; the two flags are false when the role may not checkpoint or switch the WAL. */
    record Outcome(List<String> tables, long bytesBefore, long bytesAfter, boolean statisticsRewritten,
            boolean checkpointed, boolean walSwitched) {
    }

    private final DataSource dataSource;

    private final Duration lockTimeout;

    PostgresResiduePurge(DataSource dataSource, Duration lockTimeout) {
        this.dataSource = dataSource;
        this.lockTimeout = lockTimeout;
    }

    Outcome purge(List<String> tables) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return purge(connection, tables);
        }
    }

    private Outcome purge(Connection connection, List<String> tables) throws SQLException {
        // VACUUM cannot run inside a transaction block.
        connection.setAutoCommit(true);
        refuseUnlessOwner(connection, tables);
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("set lock_timeout = " + lockTimeout.toMillis());
            }
            long before = 0;
            long after = 0;
            int done = 0;
            for (String table : tables) {
                long start = System.nanoTime();
                long size = totalSize(connection, table);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("vacuum (full, analyze) " + table);
                    refuseSkipped(table, statement.getWarnings());
                }
                catch (SQLException ex) {
                    if ("55P03".equals(ex.getSQLState())) {
                        throw new IllegalStateException("Residue purge: table " + table + " is in use (no exclusive"
                                + " lock within " + lockTimeout + "); run the purge again when no job runs", ex);
                    }
                    throw ex;
                }
                long rewritten = totalSize(connection, table);
                before += size;
                after += rewritten;
                log.info("Residue purge: table {} rewritten ({} of {}): {} kB -> {} kB, {} ms", table, ++done,
                        tables.size(), size / 1024, rewritten / 1024, (System.nanoTime() - start) / 1_000_000);
            }
            boolean statistics = rewriteStatistics(connection);
            boolean checkpointed = privileged(connection, "checkpoint",
                    "CHECKPOINT not permitted (needs a superuser or, from PostgreSQL 15, the pg_checkpoint role): the"
                            + " table files are rewritten; the WAL segments written before are recycled by the next"
                            + " automatic checkpoint (checkpoint_timeout)");
            boolean switched = privileged(connection, "select pg_switch_wal()",
                    "pg_switch_wal() not permitted (needs a superuser or GRANT EXECUTE ON FUNCTION pg_switch_wal()):"
                            + " the current WAL segment is closed when it fills or at archive_timeout");
            return new Outcome(List.copyOf(tables), before, after, statistics, checkpointed, switched);
        }
        finally {
            // The pool hands this connection out again: no lock timeout left behind.
            try (Statement statement = connection.createStatement()) {
                statement.execute("reset lock_timeout");
            }
        }
    }

    /** Every table owned by the current role (directly, through a role, or as the database's owner or superuser). */
    private static void refuseUnlessOwner(Connection connection, List<String> tables) throws SQLException {
        List<String> refused = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                select c.oid is not null,
                       coalesce(pg_has_role(c.relowner, 'USAGE'), false)
                           or pg_has_role((select datdba from pg_database where datname = current_database()), 'USAGE'),
                       coalesce(pg_get_userbyid(c.relowner), '')
                from (select to_regclass(?) as oid) r left join pg_class c on c.oid = r.oid""")) {
            for (String table : tables) {
                query.setString(1, table);
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        throw new IllegalStateException("Residue purge: table " + table + " not found");
                    }
                    if (!rs.getBoolean(2)) {
                        refused.add(table + " (owner " + rs.getString(3) + ")");
                    }
                }
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalStateException("Residue purge refused: VACUUM FULL needs the owner of each table, and "
                    + connection.getMetaData().getUserName() + " does not own " + String.join(", ", refused)
                    + "; run residuePurgeJob as the tables' owner (the role that ran the migrations) or a superuser."
                    + " Nothing was rewritten.");
        }
    }

    /**
     * The planner's statistics ({@code pg_statistic}) hold sample values of each column: most common values and
     * histogram bounds, names included. The ANALYZE of the rewritten tables replaced them, and their old versions are
     * dead rows of {@code pg_statistic}: rewritten too when this role may (a superuser: the catalog's owner), else
     * said.
     */
    private static boolean rewriteStatistics(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select pg_has_role(relowner, 'USAGE') from pg_class"
                        + " where oid = 'pg_catalog.pg_statistic'::regclass")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                log.warn("Residue purge: pg_statistic not rewritten (needs a superuser): the planner statistics the"
                        + " ANALYZE replaced may keep sample values of the anonymised columns in its free space");
                return false;
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("vacuum full pg_catalog.pg_statistic");
            refuseSkipped("pg_statistic", statement.getWarnings());
        }
        log.info("Residue purge: planner statistics (pg_statistic) rewritten");
        return true;
    }

    /** A VACUUM PostgreSQL skipped (it warns instead of failing): a failure here. */
    private static void refuseSkipped(String table, SQLWarning warnings) {
        for (SQLWarning warning = warnings; warning != null; warning = warning.getNextWarning()) {
            if (warning.getMessage() != null && warning.getMessage().contains("skipping")) {
                throw new IllegalStateException("Residue purge: PostgreSQL skipped table " + table + ": "
                        + warning.getMessage());
            }
        }
    }

    private static boolean privileged(Connection connection, String sql, String refusal) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
            return true;
        }
        catch (SQLException ex) {
            if (!INSUFFICIENT_PRIVILEGE.equals(ex.getSQLState())) {
                throw ex;
            }
            log.warn("Residue purge: {}", refusal);
            return false;
        }
    }

    private static long totalSize(Connection connection, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select pg_total_relation_size(to_regclass(?))")) {
            query.setString(1, table);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
