package org.clubanonymiser.importing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;

import org.clubanonymiser.support.StorageLayout;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link ImportedExportCleaner} over the export tables and {@code <storage-dir>/exports/}: deletes the export's file
 * first (idempotent; if the transaction then fails, a restart finds it gone and finishes the database part), then
 * erases the manifest's values and fingerprints and stamps {@code file_deleted_at}.
 */
class JdbcImportedExportCleaner implements ImportedExportCleaner {

    private final JdbcTemplate jdbc;

    private final StorageLayout storage;

    private final Clock clock;

    JdbcImportedExportCleaner(JdbcTemplate jdbc, StorageLayout storage, Clock clock) {
        this.jdbc = jdbc;
        this.storage = storage;
        this.clock = clock;
    }

    @Override
    public void purgeImportedExport(long exportId) {
        List<String> fileNames = jdbc.queryForList("select file_name from anonymisation_export where id = ?",
                String.class, exportId);
        for (String fileName : fileNames) {
            if (fileName != null) {
                deleteExportFile(fileName);
            }
        }
        jdbc.update("""
                update anonymisation_export_member set member_number = null, last_name = null, first_name = null,
                    status = null, last_activity = null, last_activity_kind = null, months_inactive = null,
                    fingerprint = null
                where export_id = ?""", exportId);
        jdbc.update("""
                update anonymisation_export set file_deleted_at = ?
                where id = ? and file_deleted_at is null""", Timestamp.valueOf(LocalDateTime.now(clock)), exportId);
    }

    private void deleteExportFile(String fileName) {
        Path exports = storage.exportsDir();
        Path file = exports.resolve(fileName).normalize();
        if (!file.startsWith(exports)) {
            throw new IllegalStateException("Export file name escapes the exports folder: " + fileName);
        }
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot delete the export file " + file, ex);
        }
    }
}
