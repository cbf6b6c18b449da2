package org.clubanonymiser.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.clubanonymiser.support.storage.StorageLayout;

/**
 * Writes a report's CSV and HTML under {@code <storage-dir>/reports/} as {@code <scope>.csv} and {@code <scope>.html}
 * ({@link ReportScope#fileBaseName()}), each readable and writable by the owner only (0600, where the file system has
 * POSIX permissions). Each file is written in the product's temp dir and moved into place, so a reader never sees
 * half a report; a second run replaces them. Thread-safe.
 */
public class PrivacyReportFiles {

    private final StorageLayout storage;

    public PrivacyReportFiles(StorageLayout storage) {
        this.storage = storage;
    }

    /** The files written. */
    public record Written(Path csv, Path html) {
    }

    public Written write(PrivacyReport report) {
        String base = report.scope().fileBaseName();
        return new Written(write(base + ".csv", PrivacyReportCsv.render(report)),
                write(base + ".html", PrivacyReportHtml.render(report)));
    }

    private Path write(String name, String content) {
        Path target = storage.reportsDir().resolve(name);
        Path partial = storage.newTempFile("report-", ".part");
        try {
            ownerOnly(partial);
            Files.writeString(partial, content, StandardCharsets.UTF_8);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            ownerOnly(target);
            return target;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write the privacy report " + name, ex);
        }
        finally {
            try {
                Files.deleteIfExists(partial);
            }
            catch (IOException ex) {
                // The temp dir is swept at the next start-up; the report holds nothing personal anyway.
            }
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
