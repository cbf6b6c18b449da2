package org.clubanonymiser.support.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import org.springframework.beans.factory.DisposableBean;

/**
 * Anonymised means gone from the database file too. H2 (the embedded default) leaves the old versions of updated and
 * deleted rows in free pages of its {@code .mv.db} file; its compaction on close is time-limited and may leave them
 * there. After an import has anonymised members in this process, closing the application runs
 * {@code SHUTDOWN COMPACT}, which rewrites the file from its live rows only. Only for an H2 database held in a local
 * file by this process (not in memory, not through a TCP server); PostgreSQL and Oracle manage their own storage.
 * Runs before the connection pool closes (this bean depends on the DataSource). In server mode it happens at shutdown.
 */
public class H2FileCompaction implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(H2FileCompaction.class);

    private final DataSource dataSource;

    private final AtomicBoolean requested = new AtomicBoolean();

    public H2FileCompaction(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Members were anonymised: compact the file when the application closes. */
    public void request() {
        requested.set(true);
    }

    @Override
    public void destroy() {
        if (!requested.getAndSet(false)) {
            return;
        }
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            if (DatabasePlatform.of(connection) != DatabasePlatform.H2
                    || !isLocalFile(connection.getMetaData().getURL())) {
                return;
            }
            long start = System.nanoTime();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN COMPACT");
            }
            log.info("H2 database file compacted after anonymisation ({} ms)", (System.nanoTime() - start) / 1_000_000);
        }
        catch (SQLException ex) {
            log.warn("H2 database file not compacted after anonymisation: {}", ex.getMessage());
        }
        finally {
            closeQuietly(connection);
        }
    }

    /** After SHUTDOWN the pool's connection can only fail to close: the database is gone, as intended. */
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

    static boolean isLocalFile(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:mem:") && !lower.startsWith("jdbc:h2:tcp:")
                && !lower.startsWith("jdbc:h2:ssl:") && !lower.startsWith("jdbc:h2:zip:");
    }
}
