package org.clubanonymiser.support.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Deletes the stored uploads ({@code <storage-dir>/uploads/upload-<uuid>.xlsx}) of FAILED imports created before a
 * cutoff: a copy of an export's names that a completed import deletes itself and a refused one loses when it ends, but
 * that a failed (restartable) import keeps for its restart. Run by {@code exportPurgeJob} with the export retention
 * as the cutoff: past it, the export is expired and the import could not be restarted anyway (the gate refuses
 * {@code EXPORT_EXPIRED}). Only files of the uploads folder named like a stored upload are touched; the record stays.
 * Idempotent; thread-safe.
 */
public class FailedUploadPurge {

    private static final Logger log = LoggerFactory.getLogger(FailedUploadPurge.class);

    private final JdbcTemplate jdbc;

    private final StorageLayout storage;

    public FailedUploadPurge(JdbcTemplate jdbc, StorageLayout storage) {
        this.jdbc = jdbc;
        this.storage = storage;
    }

    /** @return the number of upload files deleted */
    public int purgeCreatedBefore(LocalDateTime cutoff) {
        List<String> names = jdbc.queryForList("""
                select file_name from anonymisation_import
                where status = 'FAILED' and created_at < ? and file_name like 'upload-%'""", String.class,
                Timestamp.valueOf(cutoff));
        int deleted = 0;
        for (String name : names) {
            // The record holds a bare file name; resolving only its last segment keeps the purge inside uploads/.
            Path file = storage.uploadsDir().resolve(Path.of(name).getFileName().toString());
            try {
                if (Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Cannot delete the upload of a failed import", ex);
            }
        }
        if (deleted > 0) {
            log.info("Deleted {} uploads of failed imports created before {}", deleted, cutoff);
        }
        return deleted;
    }
}
