package org.clubanonymiser.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A second real spreadsheet program for the XLSX round trip: Gnumeric's {@code ssconvert}, whose XML differs from
 * LibreOffice's (pretty-printed parts, its own number formats). Tests that need it fail, never skip, when it is
 * missing: {@code .ci/run} installs it ({@code apt-get install gnumeric}).
 */
public final class Gnumeric {

    private Gnumeric() {
    }

    public static Path require() {
        return RequiredTool.SSCONVERT.require();
    }

    /**
     * Opens {@code source} in Gnumeric and saves it as .xlsx ({@code ssconvert in.xlsx out.xlsx}: the admin's "open
     * and re-save"), into a new folder under {@code workDir}; returns the re-saved file, which has the same name.
     */
    public static Path resave(Path source, Path workDir) {
        Path ssconvert = require();
        try {
            Path outDir = Files.createTempDirectory(Files.createDirectories(workDir), "gnumeric-out-");
            Path resaved = outDir.resolve(source.getFileName());
            return LibreOffice.run(List.of(ssconvert.toString(), source.toAbsolutePath().toString(),
                    resaved.toAbsolutePath().toString()), resaved);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
