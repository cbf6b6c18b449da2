package org.clubanonymiser.importing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.exportrecord.ExportStatus;
import org.clubanonymiser.support.UserAccess;
import org.clubanonymiser.support.workbook.ExportIdentity;

/**
 * The file-level checks of an import (docs/reference.md#import-refusals), run before any member is touched; the first
 * failing one refuses the file. The order is deliberate:
 * <ol>
 * <li>{@code FILE_CHANGED}: the file is still the one the job instance was launched for (its SHA-256 is the
 * {@code fileChecksum} parameter), so that a restart never runs on other content;</li>
 * <li>{@code PERMISSION_DENIED}: the user exists and is an ADMIN or granted the right. Before opening the file, so
 * that a user without the right learns nothing about its content;</li>
 * <li>{@code NOT_XLSX}, {@code UNSAFE_FILE} ({@link UploadedFileInspector}): before any XML parser sees the file;</li>
 * <li>{@code UNKNOWN_EXPORT}: an identity is present, well-formed, names an existing, COMPLETED export and tells
 * exactly its club, as-of date, cutoff, inactivity and creation time (an edited identity is not the export's);</li>
 * <li>{@code FOREIGN_CLUB}: the export's club is one of the user's. Before anything about the export's state is told
 * (imported, expired), so that another club's export stays opaque;</li>
 * <li>{@code EXPORT_ALREADY_IMPORTED}: completed imports of the export resolved every one of its rows (anonymised, no
 * longer eligible, or kept: deleted from the imported file). An export whose imports left rejected rows open stays
 * importable, so that the admin can correct them and import again. The last resolving import also deleted the file,
 * so this comes before expiry to give the true reason; a dry run never resolves anything;</li>
 * <li>{@code EXPORT_EXPIRED}: the export is older than {@code anonymiser.export.retention} or its file was deleted;</li>
 * <li>{@code NOT_RESAVED}: the file is byte-identical to the exported workbook;</li>
 * <li>{@code LAYOUT_CHANGED}: the Members sheet is first and its header row is exactly the export's (the costliest
 * check: it reads the shared strings);</li>
 * <li>{@code HIDDEN_ROWS}: no row of the Members sheet holding a value is hidden, collapsed or filtered out (the
 * admin may have hidden the members to keep: a decision the import cannot read).</li>
 * </ol>
 * The inspector has already checked the container and that every XML part is well-formed; should a spreadsheet
 * library still fail on the workbook's content, the file is {@code NOT_XLSX}, never an error of the job.
 * Stateless; the caller records the outcome.
 */
class ImportGate {

    private final ImportRecords records;

    private final UserAccess userAccess;

    private final UploadedFileInspector fileInspector;

    private final UploadedWorkbookInspector workbookInspector;

    private final Duration exportRetention;

    private final Clock clock;

    ImportGate(ImportRecords records, UserAccess userAccess, UploadedFileInspector fileInspector,
            UploadedWorkbookInspector workbookInspector, Duration exportRetention, Clock clock) {
        this.records = records;
        this.userAccess = userAccess;
        this.fileInspector = fileInspector;
        this.workbookInspector = workbookInspector;
        this.exportRetention = exportRetention;
        this.clock = clock;
    }

    /**
     * @param rowsDone this is a restart of an import whose anonymising step completed: every row was processed and
     *                 only the error file and the completion remain, which touch no member. The export's state is then
     *                 not judged again: the import's own completion may have resolved the export (file deleted), or
     *                 it may have expired since, and that must not refuse the import that did the work.
     * @return the export the file comes from
     * @throws ImportRefusedException the first refusal met
     */
    ExportRecord check(Path file, String fileChecksum, String username, boolean rowsDone)
            throws ImportRefusedException, IOException {
        checkUnchanged(file, fileChecksum);
        Optional<UserAccess.AppUser> user = userAccess.find(username);
        if (user.isEmpty()) {
            throw new ImportRefusedException(ImportRefusal.PERMISSION_DENIED, "unknown user");
        }
        if (!user.get().mayAnonymise()) {
            throw new ImportRefusedException(ImportRefusal.PERMISSION_DENIED, null);
        }
        fileInspector.inspect(file);
        ExportIdentity identity = readable(() -> workbookInspector.identity(file));
        ExportRecord export = records.findExport(identity.exportId())
            .orElseThrow(() -> new ImportRefusedException(ImportRefusal.UNKNOWN_EXPORT,
                    "export " + identity.exportId() + " does not exist"));
        if (!matches(identity, export)) {
            throw new ImportRefusedException(ImportRefusal.UNKNOWN_EXPORT,
                    "the file's identity does not match export " + export.id());
        }
        if (!export.isCompleted() && export.status() != ExportStatus.DELETED) {
            throw new ImportRefusedException(ImportRefusal.UNKNOWN_EXPORT,
                    "export " + export.id() + " is " + export.status() + ", not COMPLETED");
        }
        if (!user.get().clubIds().contains(export.clubId())) {
            throw new ImportRefusedException(ImportRefusal.FOREIGN_CLUB, "export " + export.id());
        }
        if (rowsDone) {
            return export;
        }
        if (export.resolved()) {
            throw new ImportRefusedException(ImportRefusal.EXPORT_ALREADY_IMPORTED, "export " + export.id());
        }
        if (export.fileDeleted()) {
            throw new ImportRefusedException(ImportRefusal.EXPORT_EXPIRED,
                    "the file of export " + export.id() + " was deleted");
        }
        if (export.createdAt().plus(exportRetention).isBefore(LocalDateTime.now(clock))) {
            throw new ImportRefusedException(ImportRefusal.EXPORT_EXPIRED, "export " + export.id() + " of "
                    + export.createdAt().toLocalDate() + ", retention " + exportRetention.toDays() + " days");
        }
        if (fileChecksum.equalsIgnoreCase(export.workbookChecksum())) {
            throw new ImportRefusedException(ImportRefusal.NOT_RESAVED, "export " + export.id());
        }
        readable(() -> {
            workbookInspector.checkLayout(file);
            workbookInspector.checkNoHiddenRows(file);
            return null;
        });
        return export;
    }

    /** The identity tells the export's own values, as the export wrote them (creation time to the second). */
    private static boolean matches(ExportIdentity identity, ExportRecord export) {
        return export.clubId() == identity.clubId() && export.asOf().equals(identity.asOf())
                && export.cutoff().equals(identity.cutoff()) && export.inactivityMonths() == identity.inactivityMonths()
                && export.createdAt().truncatedTo(ChronoUnit.SECONDS)
                    .equals(identity.createdAt().truncatedTo(ChronoUnit.SECONDS));
    }

    private interface WorkbookRead<T> {

        T read() throws ImportRefusedException, IOException;
    }

    /** A parser failing on the workbook's content (a runtime exception of POI or the import's reader): NOT_XLSX. */
    private static <T> T readable(WorkbookRead<T> read) throws ImportRefusedException, IOException {
        try {
            return read.read();
        }
        catch (RuntimeException ex) {
            throw new ImportRefusedException(ImportRefusal.NOT_XLSX, "the workbook's content cannot be read", ex);
        }
    }

    private static void checkUnchanged(Path file, String fileChecksum) throws ImportRefusedException, IOException {
        if (!Files.isRegularFile(file)) {
            throw new ImportRefusedException(ImportRefusal.FILE_CHANGED, "the file no longer exists");
        }
        try {
            if (!ImportJobParameters.sha256(file).equalsIgnoreCase(fileChecksum)) {
                throw new ImportRefusedException(ImportRefusal.FILE_CHANGED, null);
            }
        }
        catch (NoSuchFileException ex) {
            throw new ImportRefusedException(ImportRefusal.FILE_CHANGED, "the file no longer exists");
        }
    }
}
