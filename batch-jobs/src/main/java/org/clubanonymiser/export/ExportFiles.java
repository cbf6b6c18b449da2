package org.clubanonymiser.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.clubanonymiser.exportrecord.ExportProperties;
import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.exportrecord.ExportStatus;
import org.clubanonymiser.support.storage.ImportedExportPurge;
import org.clubanonymiser.support.storage.StorageLayout;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * The life of export files: download, deletion by a user, deletion once imports have resolved every row of
 * the export, and deletion when the retention ({@code anonymiser.export.retention}) ends — whichever comes first. Each
 * deletion removes the zip first, then, in one transaction, records it ({@code file_deleted_at}) and erases the
 * manifest's personal values and fingerprints (member ids stay). A crash in between leaves the record "file present"
 * with no file, which the next purge completes: a file of personal data is never left behind a record saying it is
 * gone. Used by the jobs, the web layer and ops. Thread-safe.
 */
public class ExportFiles implements ImportedExportPurge {

    private static final Logger log = LoggerFactory.getLogger(ExportFiles.class);

    private final ExportRecords records;

    private final ExportManifest manifest;

    private final StorageLayout storage;

    private final ExportProperties properties;

    private final TransactionTemplate transaction;

    private final Clock clock;

    public ExportFiles(ExportRecords records, ExportManifest manifest, StorageLayout storage,
            ExportProperties properties, TransactionTemplate transaction, Clock clock) {
        this.records = records;
        this.manifest = manifest;
        this.storage = storage;
        this.properties = properties;
        this.transaction = transaction;
        this.clock = clock;
    }

    /**
     * The zip of a completed export, while it exists and its retention has not ended: past the retention it is never
     * served, even before the purge has deleted it.
     */
    public Optional<Path> file(long exportId) {
        return records.find(exportId).filter(this::downloadable).map(e -> storage.exportsDir().resolve(e.fileName()));
    }

    /** Whether {@link #file(long)} serves this export's zip now (no query: the record at hand decides). */
    public boolean downloadable(ExportRecord export) {
        return export.status() == ExportStatus.COMPLETED && export.fileDeletedAt() == null && export.fileName() != null
                && !expired(export) && Files.isRegularFile(storage.exportsDir().resolve(export.fileName()));
    }

    /** Whether the export was created longer than {@code anonymiser.export.retention} ago. */
    public boolean expired(ExportRecord export) {
        return export.createdAt().isBefore(LocalDateTime.now(clock).minus(properties.retention()));
    }

    /**
     * Deletes an export on a user's request: its file, its manifest values; the record stays, {@code DELETED}.
     *
     * @throws IllegalArgumentException when there is no such export
     * @throws IllegalStateException    while it is running
     */
    public ExportRecord delete(long exportId) {
        ExportRecord export = records.find(exportId)
            .orElseThrow(() -> new IllegalArgumentException("No export " + exportId));
        if (export.status() == ExportStatus.RUNNING) {
            throw new IllegalStateException("Export " + exportId + " is running: stop it before deleting it");
        }
        removeFile(export, ExportStatus.DELETED);
        log.info("Export {} deleted", exportId);
        return records.find(exportId).orElseThrow();
    }

    /**
     * Called by the import when it has completed, once per slice ({@link ImportedExportPurge}): the slice's open
     * manifest rows are resolved and the resolved ones keep their member id only. After the last slice,
     * when no row is open any more, the file is deleted and the record says so and that the export is resolved (its
     * status stays); while rows remain open, the file stays downloadable until they are resolved or the retention
     * ends. In the caller's transaction; idempotent.
     *
     * @throws IllegalArgumentException when there is no such export
     */
    @Override
    public OptionalLong resolveAfterImport(long exportId, long importId, Set<String> openingCodes,
            long afterMemberId, int limit) {
        ExportRecord export = records.find(exportId)
            .orElseThrow(() -> new IllegalArgumentException("No export " + exportId));
        OptionalLong next = manifest.resolveAfter(exportId, importId, openingCodes, afterMemberId, limit);
        if (next.isPresent()) {
            return next;
        }
        long open = manifest.countOpen(exportId);
        if (open == 0) {
            deleteFile(export);
            LocalDateTime now = LocalDateTime.now(clock);
            records.fileDeleted(export.id(), export.status(), now);
            records.resolved(export.id(), now);
            log.info("Export {} resolved by import {}: file deleted, manifest reduced to member ids", exportId,
                    importId);
        }
        else {
            log.info("Export {} after import {}: {} rows open for a corrected import; the file stays until they are"
                    + " resolved or the export expires", exportId, importId, open);
        }
        return next;
    }

    /**
     * Deletes the files, and erases the manifest values, of every export created before {@code asOf} minus the
     * retention (running exports excepted). Idempotent.
     *
     * @return the number of exports purged
     */
    public int purgeExpired(LocalDateTime asOf) {
        List<ExportRecord> expired = records.expired(asOf.minus(properties.retention()));
        for (ExportRecord export : expired) {
            removeFile(export, export.status());
        }
        if (!expired.isEmpty()) {
            log.info("Purged {} exports older than {}", expired.size(), properties.retention());
        }
        return expired.size();
    }

    private void removeFile(ExportRecord export, ExportStatus status) {
        deleteFile(export);
        transaction.executeWithoutResult(tx -> {
            records.fileDeleted(export.id(), status, LocalDateTime.now(clock));
            manifest.eraseValues(export.id());
        });
    }

    private void deleteFile(ExportRecord export) {
        if (export.fileName() != null) {
            try {
                Files.deleteIfExists(storage.exportsDir().resolve(export.fileName()));
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Cannot delete the file of export " + export.id(), ex);
            }
        }
    }
}
