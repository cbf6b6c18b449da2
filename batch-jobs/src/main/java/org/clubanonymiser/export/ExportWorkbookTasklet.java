package org.clubanonymiser.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.progress.StepProgress;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.support.workbook.ExportIdentity;
import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.support.workbook.MembersSheet;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step 2 of the export: renders the whole workbook from the manifest (ordered by member id, through the step's
 * {@link JdbcPagingItemReader}, which saves no state), writes it to a temp file in the product's temp dir, zips it to
 * a second temp file, then moves the zip into {@code exports/} in one atomic rename and records file name, checksums
 * and row count in the same transaction as the step's completion.
 * <p>
 * Restart: nothing of a failed attempt is reused; the file is regenerated from the manifest, with the same content
 * (identity included: its creation time is the export record's). Failure: the temp files, POI's included, are
 * deleted before the exception leaves; the {@code exports/} dir never holds a partial file. A workbook that cannot
 * be rolled back is exactly why this is one tasklet and not a chunked writer.
 */
class ExportWorkbookTasklet implements Tasklet {

    private final long exportId;

    private final JdbcPagingItemReader<ExportedRow> manifestReader;

    private final ExportRecords records;

    private final ExportManifest manifest;

    private final StorageLayout storage;

    private final int window;

    private final Clock clock;

    private final Supplier<StepProgress> progress;

    /** {@code progress}: the running step's progress, asked for on the step's thread (rows rendered, of all). */
    ExportWorkbookTasklet(long exportId, JdbcPagingItemReader<ExportedRow> manifestReader, ExportRecords records,
            ExportManifest manifest, StorageLayout storage, int window, Clock clock,
            Supplier<StepProgress> progress) {
        this.progress = progress;
        this.exportId = exportId;
        this.manifestReader = manifestReader;
        this.records = records;
        this.manifest = manifest;
        this.storage = storage;
        this.window = window;
        this.clock = clock;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        ExportRecord export = records.find(exportId)
            .orElseThrow(() -> new IllegalStateException("No export record " + exportId));
        long rowCount = manifest.count(exportId);
        StepProgress rendered = progress.get();
        rendered.total(rowCount);
        ExportIdentity identity = new ExportIdentity(export.id(), export.clubId(), export.clubCode(), export.asOf(),
                export.cutoff(), export.inactivityMonths(), rowCount,
                export.createdAt().truncatedTo(ChronoUnit.SECONDS), MembersSheet.FORMAT_VERSION);

        Path workbookFile = storage.newTempFile("export-" + exportId + "-", ".xlsx");
        Path zipFile = storage.newTempFile("export-" + exportId + "-", ".zip");
        try {
            long written = render(identity, workbookFile, rendered);
            if (written != rowCount) {
                throw new IllegalStateException("Export " + exportId + ": rendered " + written
                        + " rows but the manifest holds " + rowCount);
            }
            String workbookChecksum = sha256(workbookFile);
            String zipChecksum = zip(workbookFile, ExportFileNames.workbookName(export), zipFile,
                    identity.createdAt());
            Path target = storage.exportsDir().resolve(ExportFileNames.zipName(export));
            moveIntoPlace(zipFile, target);
            records.completed(exportId, target.getFileName().toString(), zipChecksum, workbookChecksum, rowCount,
                    LocalDateTime.now(clock));
            contribution.incrementWriteCount(written);
            return RepeatStatus.FINISHED;
        }
        finally {
            Files.deleteIfExists(workbookFile);
            Files.deleteIfExists(zipFile);
        }
    }

    private long render(ExportIdentity identity, Path workbookFile, StepProgress rendered) throws Exception {
        try (MembersWorkbookWriter workbook = new MembersWorkbookWriter(window)) {
            for (ExportedRow row = manifestReader.read(); row != null; row = manifestReader.read()) {
                workbook.append(row);
                rendered.add(1);
            }
            workbook.identity(identity);
            try (OutputStream out = Files.newOutputStream(workbookFile)) {
                workbook.writeTo(out);
            }
            return workbook.rowCount();
        }
    }

    /** Zips the workbook as one entry; returns the zip's SHA-256. */
    private static String zip(Path workbookFile, String entryName, Path zipFile, LocalDateTime entryTime)
            throws IOException {
        MessageDigest digest = sha256();
        try (OutputStream file = Files.newOutputStream(zipFile);
                ZipOutputStream zip = new ZipOutputStream(new DigestOutputStream(file, digest));
                InputStream in = Files.newInputStream(workbookFile)) {
            ZipEntry entry = new ZipEntry(entryName);
            entry.setTime(entryTime.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli());
            zip.putNextEntry(entry);
            in.transferTo(zip);
            zip.closeEntry();
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (AtomicMoveNotSupportedException ex) {
            // Same file system in practice (tmp/ and exports/ share the storage dir); a plain move as a fallback.
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required by the JVM spec", ex);
        }
    }
}
