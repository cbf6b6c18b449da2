package org.clubanonymiser.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real spreadsheet application for the XLSX round trip: LibreOffice Calc, headless, with a private profile. Tests
 * that need it call {@link #require()}: without {@code soffice} they fail, naming the package that installs it.
 */
public final class LibreOffice {

    private LibreOffice() {
    }

    /** {@code soffice} on the PATH, or a failed test naming it and its install command ({@link RequiredTool}). */
    public static Path require() {
        return RequiredTool.SOFFICE.require();
    }

    /** Runs a program that writes {@code expected}, failing the test with its output if it does not. */
    static Path run(List<String> command, Path expected) {
        String program = Path.of(command.get(0)).getFileName().toString();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(program + " did not finish: " + output);
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(expected)) {
                fail(program + " failed to write " + expected.getFileName() + " (exit " + process.exitValue() + "): "
                        + output);
            }
            return expected;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Opens {@code source} in LibreOffice Calc and saves it again as .xlsx (the admin's "open and re-save"), into a
     * new folder under {@code workDir}; returns the re-saved file, which has the same name.
     */
    public static Path resave(Path source, Path workDir) {
        Path soffice = require();
        try {
            Path outDir = Files.createTempDirectory(Files.createDirectories(workDir), "libreoffice-out-");
            Path profile = Files.createDirectories(workDir.resolve("libreoffice-profile"));
            return run(List.of(soffice.toString(), "-env:UserInstallation=" + profile.toAbsolutePath().toUri(),
                    "--headless", "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
                    outDir.toAbsolutePath().toString(), source.toAbsolutePath().toString()),
                    outDir.resolve(source.getFileName()));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
