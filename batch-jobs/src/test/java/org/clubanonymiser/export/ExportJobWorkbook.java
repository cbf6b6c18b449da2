package org.clubanonymiser.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.clubanonymiser.support.workbook.ExportIdentity;
import org.clubanonymiser.support.workbook.ExportedRow;

/**
 * The export job's own workbook rendering ({@link MembersWorkbookWriter}), for import tests whose fixtures must be the
 * very file an admin downloads (its styles, inline strings, quote prefixes): what other programs then re-save.
 */
public final class ExportJobWorkbook {

    private ExportJobWorkbook() {
    }

    public static void write(Path target, ExportIdentity identity, Iterable<ExportedRow> rows) {
        try (MembersWorkbookWriter writer = new MembersWorkbookWriter(100);
                OutputStream out = Files.newOutputStream(target)) {
            rows.forEach(writer::append);
            writer.identity(identity);
            writer.writeTo(out);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
