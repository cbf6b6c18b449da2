package org.clubanonymiser.importing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.clubanonymiser.support.storage.StorageLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reviewed workbook of a completed import, when it was uploaded into {@code <storage-dir>/uploads/}: a copy of
 * the export's names that the product holds, so it is deleted once the import completed, like the export's own
 * file. A file anywhere else is the admin's own and is left alone. Idempotent: a missing file is not an error.
 */
class ImportedUpload {

    private static final Logger log = LoggerFactory.getLogger(ImportedUpload.class);

    private final StorageLayout storage;

    private final Path file;

    ImportedUpload(StorageLayout storage, Path file) {
        this.storage = storage;
        this.file = file.toAbsolutePath().normalize();
    }

    boolean isStored() {
        return file.startsWith(storage.uploadsDir());
    }

    void deleteIfStored() {
        if (!isStored()) {
            return;
        }
        try {
            if (Files.deleteIfExists(file)) {
                log.info("Deleted the imported upload uploads/{}", file.getFileName());
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot delete the imported upload " + file.getFileName(), ex);
        }
    }
}
