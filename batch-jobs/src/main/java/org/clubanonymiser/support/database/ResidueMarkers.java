package org.clubanonymiser.support.database;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcOperations;

/**
 * The {@code storage_residue} table: "an anonymisation happened here, the database's files may still hold the old
 * values". Written by every anonymisation in its own transaction (an import's chunk and its completion, a single-member
 * request, the erasure of an export's manifest values), so a marker exists exactly when the anonymisation committed, crash or not. Honoured by the maintenance
 * step of the platform ({@link H2FileCompaction} on H2; {@code residuePurgeJob} on PostgreSQL), which reads the last
 * marker id before it starts and deletes the markers up to that id only once it has completed: a marker written
 * meanwhile stays for the next run, and a maintenance killed half-way leaves every marker in place. Ids only (the
 * import's or the request's), never a value of the member. Stateless and thread-safe.
 */
public final class ResidueMarkers {

    /** What wrote the marker; {@code ref_id} is its id. */
    public enum Source {
        /** An import's chunk or completion: {@code ref_id} is the import id. */
        IMPORT,
        /** A single-member anonymisation: {@code ref_id} is the request id. */
        SINGLE,
        /** An export's manifest values erased (its file deleted or expired): {@code ref_id} is the export id. */
        EXPORT
    }

    /** The markers waiting: how many, the last id (the maintenance's bound), the oldest's and the newest's time. */
    public record Pending(long count, long lastId, LocalDateTime oldest, LocalDateTime newest) {
    }

    private final JdbcOperations jdbc;

    public ResidueMarkers(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a marker in the caller's transaction (the anonymisation's). */
    public static void record(JdbcOperations jdbc, Source source, long refId, Timestamp at) {
        jdbc.update("insert into storage_residue (source, ref_id, recorded_at) values (?, ?, ?)", source.name(),
                refId, at);
    }

    /** The markers waiting for the maintenance, if any. */
    public Optional<Pending> pending() {
        return jdbc.query("select count(*), max(id), min(recorded_at), max(recorded_at) from storage_residue", rs -> {
            rs.next();
            long count = rs.getLong(1);
            return count == 0 ? Optional.<Pending>empty()
                    : Optional.of(new Pending(count, rs.getLong(2), rs.getTimestamp(3).toLocalDateTime(),
                            rs.getTimestamp(4).toLocalDateTime()));
        });
    }

    /** Deletes the markers a completed maintenance covered (ids up to {@code lastId}); returns how many. */
    public int clearUpTo(long lastId) {
        return jdbc.update("delete from storage_residue where id <= ?", lastId);
    }
}
