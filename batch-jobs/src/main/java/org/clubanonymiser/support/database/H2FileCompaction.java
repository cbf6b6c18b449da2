package org.clubanonymiser.support.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Anonymised means gone from the database file too. H2 (the embedded default) leaves the old versions of updated and
 * deleted rows in dead pages and freed blocks of its {@code .mv.db} file, and has no call that overwrites them. Once
 * the database is shut down, {@link #removeDeadPages} zeroes those bytes in place ({@link H2DeadPageScrub}: every page
 * H2 counts dead and no root reaches, every block outside the live chunks), leaving every live byte as it was; when
 * the scrub cannot prove which bytes are dead it makes the full copy instead (the live pages into a new file,
 * uncompressed so that a byte scan can still check the file). Either way no dead value stays readable in the file.
 * Every anonymisation writes a marker ({@link ResidueMarkers}) in its own transaction; this
 * class compacts the file while markers are pending, at three moments:
 * <ul>
 * <li><b>start</b> ({@link #afterSingletonsInstantiated()}, after the migrations, before any job, web request or
 * schedule): markers left by a process that was killed before it closed;</li>
 * <li><b>close</b> ({@link #destroy()}, before the connection pool closes): markers of this process (a task);</li>
 * <li><b>on schedule</b> ({@link #compactIfDue()}, server mode, every {@code anonymiser.residue.check}): once no
 * marker was written for {@code anonymiser.residue.delay}, or the oldest is {@code anonymiser.residue.max-delay} old,
 * and no job runs in this process. The pool is
 * suspended (new borrowers wait), the compaction waits up to {@code anonymiser.residue.idle-wait} for the borrowed
 * connections to come back (else it is postponed to the next check), shuts the database down compacted, evicts the
 * pool's dead connections and resumes it: the next connection reopens the compacted file.</li>
 * </ul>
 * The markers covered (ids up to the last one read before the compaction) are deleted after it, so a process killed
 * during the compaction compacts again on its next start. Only for an H2 database held in a local file by this
 * process (not in memory, not through a TCP server: its owner compacts it); PostgreSQL has {@code residuePurgeJob}.
 * Failures are logged (no personal data: ids, counts, durations) and leave the markers for the next moment.
 */
public class H2FileCompaction implements SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(H2FileCompaction.class);

    private final DataSource dataSource;

    private final ResidueMarkers markers;

    private final ResidueProperties properties;

    private final Supplier<Set<Long>> runningExecutions;

    private final Clock clock;

    private Boolean localFile;

    /** @param runningExecutions the job executions running in this process (none may run during a compaction) */
    public H2FileCompaction(DataSource dataSource, ResidueProperties properties, Supplier<Set<Long>> runningExecutions,
            Clock clock) {
        this.dataSource = dataSource;
        this.markers = new ResidueMarkers(new JdbcTemplate(dataSource));
        this.properties = properties;
        this.runningExecutions = runningExecutions;
        this.clock = clock;
    }

    /** On start: what a killed process left pending. */
    @Override
    public void afterSingletonsInstantiated() {
        compactIfPending("start");
    }

    /** On close: what this process anonymised. */
    @Override
    public void destroy() {
        compactIfPending("close");
    }

    /**
     * Server mode's check: compacts when the pending markers are due ({@link #isDue}) and no job execution runs in
     * this process.
     *
     * @return true when the file was compacted
     */
    public synchronized boolean compactIfDue() {
        try {
            if (!isLocalFileDatabase()) {
                return false;
            }
            Optional<ResidueMarkers.Pending> pending = markers.pending();
            if (pending.isEmpty() || !isDue(pending.get(), properties, LocalDateTime.now(clock))) {
                return false;
            }
            if (!runningExecutions.get().isEmpty()) {
                log.info("H2 file compaction postponed: job execution(s) {} running", runningExecutions.get());
                return false;
            }
            return compact("schedule", pending.get());
        }
        catch (RuntimeException ex) {
            // The next check tries again; the markers stay.
            log.warn("H2 database file not compacted (schedule): {}", ex.getMessage());
            return false;
        }
    }

    /**
     * Due once the anonymisations have been quiet for {@code delay} (a burst is compacted once), or the oldest is
     * {@code maxDelay} old (a steady stream cannot postpone it for ever).
     */
    static boolean isDue(ResidueMarkers.Pending pending, ResidueProperties properties, LocalDateTime now) {
        return !pending.newest().plus(properties.delay()).isAfter(now)
                || !pending.oldest().plus(properties.maxDelay()).isAfter(now);
    }

    private synchronized void compactIfPending(String trigger) {
        try {
            if (isLocalFileDatabase()) {
                markers.pending().ifPresent(pending -> compact(trigger, pending));
            }
        }
        catch (RuntimeException ex) {
            log.warn("H2 database file not compacted ({}): {}", trigger, ex.getMessage());
        }
    }

    private boolean compact(String trigger, ResidueMarkers.Pending pending) {
        long start = System.nanoTime();
        Optional<HikariPoolMXBean> pool = pausablePool();
        Connection connection = null;
        boolean shutDown = false;
        try {
            connection = dataSource.getConnection();
            if (pool.isPresent()) {
                pool.get().suspendPool();
                if (!awaitIdle(pool.get())) {
                    log.info("H2 file compaction postponed ({}): connections still in use after {}", trigger,
                            properties.idleWait());
                    return false;
                }
            }
            String file = databaseFile(connection.getMetaData().getURL());
            try (Statement statement = connection.createStatement()) {
                shutDown = true;
                statement.execute("SHUTDOWN");
            }
            // Closed, with the pool suspended (or the process closing): nothing reopens the file while it is written.
            removeDeadPages(file);
        }
        catch (SQLException | RuntimeException ex) {
            log.warn("H2 database file not compacted ({}): {}", trigger, ex.getMessage());
            return false;
        }
        finally {
            closeQuietly(connection);
            if (shutDown) {
                // Every pooled connection is dead: the next borrower gets a new one, which reopens the file.
                pool.ifPresent(HikariPoolMXBean::softEvictConnections);
            }
            pool.ifPresent(HikariPoolMXBean::resumePool);
        }
        int cleared = markers.clearUpTo(pending.lastId());
        log.info("H2 database file compacted ({}): {} anonymisation marker(s) pending since {} cleared, {} ms", trigger,
                cleared, pending.oldest(), (System.nanoTime() - start) / 1_000_000);
        return true;
    }

    /** Until only this compaction's own connection is borrowed, bounded by {@code anonymiser.residue.idle-wait}. */
    private boolean awaitIdle(HikariPoolMXBean pool) {
        long deadline = System.nanoTime() + properties.idleWait().toNanos();
        while (pool.getActiveConnections() > 1) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return true;
    }

    /** The Hikari pool, when it can be suspended ({@link #allowPoolSuspension}); else none. */
    private Optional<HikariPoolMXBean> pausablePool() {
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
                if (hikari.isAllowPoolSuspension()) {
                    return Optional.ofNullable(hikari.getHikariPoolMXBean());
                }
            }
        }
        catch (SQLException ex) {
            log.debug("No pool to suspend: {}", ex.getMessage());
        }
        return Optional.empty();
    }

    private boolean isLocalFileDatabase() {
        if (localFile == null) {
            try (Connection connection = dataSource.getConnection()) {
                // The engine, not the dialect: an H2 file in Oracle mode keeps old row versions just the same.
                localFile = DatabasePlatform.runsOnH2(connection) && isLocalFile(connection.getMetaData().getURL());
            }
            catch (SQLException ex) {
                log.warn("H2 file compaction: cannot read the database's URL: {}", ex.getMessage());
                return false;
            }
        }
        return localFile;
    }

    /**
     * Makes a Hikari pool of a local H2 file suspendable (before it starts), so that the compaction can pause it in
     * server mode; other pools are left as they are.
     */
    public static void allowPoolSuspension(Object bean) {
        if (bean instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null
                && isLocalFile(hikari.getJdbcUrl())) {
            hikari.setAllowPoolSuspension(true);
        }
    }

    /** After SHUTDOWN the connection can only fail to close: the database is gone, as intended. */
    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            }
            catch (SQLException ex) {
                log.debug("Connection closed after the H2 shutdown: {}", ex.getMessage());
            }
        }
    }

    /**
     * Removes every dead value from a closed H2 database file: zeroed in place when the scrub can prove which bytes are
     * dead, else by the full copy of the live pages (see {@link H2DeadPageScrub}).
     */
    public static void removeDeadPages(String file) {
        H2DeadPageScrub.scrubOrRewrite(file);
    }

    /** The {@code .mv.db} file of a local H2 database URL ({@code jdbc:h2:[file:]<path>[;options]}). */
    static String databaseFile(String url) {
        String name = url.substring("jdbc:h2:".length());
        int options = name.indexOf(';');
        name = options < 0 ? name : name.substring(0, options);
        name = name.startsWith("file:") ? name.substring("file:".length()) : name;
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return name + ".mv.db";
    }

    static boolean isLocalFile(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:mem:") && !lower.startsWith("jdbc:h2:tcp:")
                && !lower.startsWith("jdbc:h2:ssl:") && !lower.startsWith("jdbc:h2:zip:");
    }
}
