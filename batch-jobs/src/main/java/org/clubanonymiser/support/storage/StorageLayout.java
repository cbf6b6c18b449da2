package org.clubanonymiser.support.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * The folders under {@code anonymiser.storage-dir}: {@code exports/}, {@code errors/}, {@code uploads/},
 * {@code reports/} and {@code tmp/}, the product's own temp dir.
 * <p>
 * Each process writes its temp files (half-rendered workbooks, POI's SXSSF sheet files) in its own
 * {@code tmp/p-<uuid>/} folder and holds an OS file lock on it for its lifetime. {@link #sweepOrphans()}, run at
 * start-up, deletes the folders whose lock is free: their process is gone (the OS releases a lock even on SIGKILL),
 * so what they hold may be personal data that nothing will ever need (a restart regenerates its files). Folders of
 * live processes, on this machine or sharing the storage dir, are left alone.
 */
public class StorageLayout implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(StorageLayout.class);

    private static final String LOCK_FILE = ".lock";

    private final Path root;

    private Path processTempDir;

    private FileChannel lockChannel;

    private FileLock lock;

    public StorageLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path exportsDir() {
        return ensure(root.resolve("exports"));
    }

    public Path errorsDir() {
        return ensure(root.resolve("errors"));
    }

    public Path uploadsDir() {
        return ensure(root.resolve("uploads"));
    }

    /** Privacy reports written by {@code privacyReportJob} (no personal data, but readable by the owner only). */
    public Path reportsDir() {
        return ensure(root.resolve("reports"));
    }

    /** This process's own temp dir, created and locked on first use. */
    public synchronized Path tempDir() {
        if (processTempDir == null) {
            Path dir = ensure(root.resolve("tmp").resolve("p-" + UUID.randomUUID()));
            try {
                lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                lock = lockChannel.lock();
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Cannot lock the temp dir " + dir, ex);
            }
            processTempDir = dir;
        }
        return processTempDir;
    }

    /** A new empty temp file in this process's temp dir; the caller deletes it. */
    public Path newTempFile(String prefix, String suffix) {
        try {
            return Files.createTempFile(tempDir(), prefix, suffix);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create a temp file in " + tempDir(), ex);
        }
    }

    /**
     * A new empty file {@code uploads/upload-<uuid>.xlsx}, created readable and writable by its owner only (0600) in
     * the same system call that creates it, as {@link Files#createTempFile} does for exports and error files: an
     * uploaded workbook is a file of names, never readable by other accounts, not even for an instant. On a file
     * system without POSIX permissions (Windows) the folder's access rules apply.
     */
    public Path newUpload() {
        Path file = uploadsDir().resolve("upload-" + UUID.randomUUID() + ".xlsx");
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                return Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            return Files.createFile(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create an upload in " + uploadsDir(), ex);
        }
    }

    /** Deletes the temp dirs of dead processes; returns how many. */
    public int sweepOrphans() {
        Path tmp = ensure(root.resolve("tmp"));
        int swept = 0;
        try (Stream<Path> dirs = Files.list(tmp)) {
            for (Path dir : dirs.toList()) {
                if (!dir.equals(processTempDir) && isOrphan(dir)) {
                    deleteTree(dir);
                    swept++;
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot sweep the temp dir " + tmp, ex);
        }
        if (swept > 0) {
            log.info("Swept {} temp folders left by dead processes from {}", swept, tmp);
        }
        return swept;
    }

    private static boolean isOrphan(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        Path lockFile = dir.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return false;
            }
            probe.release();
            return true;
        }
        catch (OverlappingFileLockException ex) {
            // Held by this very JVM (another application context): alive.
            return false;
        }
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> entries = Files.walk(path)) {
            for (Path entry : entries.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        }
    }

    @Override
    public synchronized void destroy() throws IOException {
        if (processTempDir != null) {
            lock.release();
            lockChannel.close();
            deleteTree(processTempDir);
            processTempDir = null;
        }
    }

    private static Path ensure(Path dir) {
        try {
            return Files.createDirectories(dir);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create directory " + dir, ex);
        }
    }
}
