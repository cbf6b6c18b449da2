package org.clubanonymiser.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The one gate for the external programs some tests drive (a real spreadsheet application, a real browser, a real Pushgateway), with one
 * rule: a test that needs a tool calls {@link #require()}, which finds it on the {@code PATH} or fails the test with a
 * message naming the tool and the command that installs it. Never a skip: a machine without the tool ends the README's
 * test command red, not green with tests left out ({@code .ci/run} installs every tool from Debian first). No
 * environment variable changes the rule.
 */
public enum RequiredTool {

    /** LibreOffice Calc, headless: the "open and re-save" of a reviewed workbook. */
    SOFFICE("soffice", "LibreOffice Calc", "libreoffice-calc-nogui"),

    /** Gnumeric's command-line converter: a second real spreadsheet application re-saving workbooks. */
    SSCONVERT("ssconvert", "Gnumeric", "gnumeric"),

    /** Headless Chromium for the admin UI's real-browser test. */
    CHROMIUM("chromium", "Chromium", "chromium chromium-driver"),

    /** The WebDriver server Selenium drives Chromium through. */
    CHROMEDRIVER("chromedriver", "ChromeDriver", "chromium chromium-driver"),

    /** A real Prometheus Pushgateway, receiving a task process's metrics. */
    PUSHGATEWAY("prometheus-pushgateway", "Prometheus Pushgateway", "prometheus-pushgateway");

    private final String command;

    private final String application;

    private final String debianPackages;

    RequiredTool(String command, String application, String debianPackages) {
        this.command = command;
        this.application = application;
        this.debianPackages = debianPackages;
    }

    /** The executable's name, as looked for on the {@code PATH}. */
    public String command() {
        return this.command;
    }

    /** The one command that installs the tool on Debian (what {@code .ci/run} runs). */
    public String installCommand() {
        return "sudo apt-get install -y --no-install-recommends " + this.debianPackages;
    }

    /** The tool on this JVM's {@code PATH}, or a failed test naming it and its install command. */
    public Path require() {
        return require(System.getenv().getOrDefault("PATH", ""));
    }

    /** The tool on the given {@code PATH} value, or a failed test naming it and its install command. */
    public Path require(String path) {
        return locate(path).orElseGet(() -> fail(missingMessage()));
    }

    /** The first executable named {@link #command()} in the directories of {@code path}. */
    public Optional<Path> locate(String path) {
        return Arrays.stream(path.split(File.pathSeparator))
            .filter(dir -> !dir.isBlank())
            .map(dir -> Path.of(dir, this.command))
            .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
            .findFirst();
    }

    String missingMessage() {
        return this.command + " (" + this.application + ") is not on the PATH; the tests need it. Install it with: "
                + installCommand() + "   (or run .ci/run, which installs every tool the tests need)";
    }
}
