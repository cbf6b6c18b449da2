package org.clubanonymiser.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.AssertionFailedError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tool gate's rule on a fake {@code PATH}: a tool present is found, a tool missing fails the test (an assertion
 * failure, never an aborted, i.e. skipped, test) with a message naming the tool and its install command.
 */
class RequiredToolTests {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RequiredTool.class)
    void aMissingToolFailsTheTestNamingTheToolAndItsInstallCommand(RequiredTool tool) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> tool.require(empty + File.pathSeparator + "" + File.pathSeparator))
            .isExactlyInstanceOf(AssertionFailedError.class)
            .hasMessageContaining(tool.command() + " (")
            .hasMessageContaining(tool.installCommand())
            .hasMessageContaining("apt-get install");
    }

    @ParameterizedTest
    @EnumSource(RequiredTool.class)
    void aToolOnThePathIsFoundInTheFirstDirectoryHoldingIt(RequiredTool tool) throws IOException {
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        executable(second.resolve(tool.command()));
        executable(Files.createDirectories(dir.resolve("third")).resolve(tool.command()));
        String path = first + File.pathSeparator + second + File.pathSeparator + dir.resolve("third");
        assertThat(tool.require(path)).isEqualTo(second.resolve(tool.command()));
    }

    @Test
    void aFileThatCannotBeRunOrADirectoryIsNotTheTool() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("soffice"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(bin.resolve("soffice"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.createDirectories(bin.resolve("chromium"));
        assertThat(RequiredTool.SOFFICE.locate(bin.toString())).isEmpty();
        assertThat(RequiredTool.CHROMIUM.locate(bin.toString())).isEmpty();
        assertThatThrownBy(() -> RequiredTool.SOFFICE.require(bin.toString()))
            .isExactlyInstanceOf(AssertionFailedError.class);
    }

    @Test
    void anEmptyPathFindsNothing() {
        assertThat(RequiredTool.SOFFICE.locate("")).isEmpty();
        assertThatThrownBy(() -> RequiredTool.CHROMEDRIVER.require(""))
            .isExactlyInstanceOf(AssertionFailedError.class)
            .hasMessageContaining("chromium-driver");
    }

    /**
     * One gate, one rule: no test of either module skips itself (JUnit assumptions) or reads {@code CI} to decide
     * between skipping and failing. The export-memory test's assumption is the one exception: it selects the surefire
     * execution that runs it with 256 MB of heap, the default execution excludes it, so it never shows as skipped.
     */
    @Test
    void noTestSkipsItselfOrReadsTheCiVariable() throws IOException {
        Path moduleTests = Path.of("src", "test", "java");
        Path appTests = Path.of("..", "batch-app", "src", "test", "java");
        assertThat(moduleTests.resolve("org/clubanonymiser/testsupport/RequiredTool.java")).isRegularFile();
        assertThat(appTests).isDirectory();
        List<String> offenders = new ArrayList<>();
        for (Path root : List.of(moduleTests, appTests)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    boolean skips = source.contains("Assumptions.")
                            || source.contains("import static org.junit.jupiter.api.Assumptions")
                            || source.contains("@" + Disabled.class.getSimpleName())
                            || source.contains("getenv(\"CI\")");
                    if (skips && !file.endsWith("ExportJobMemoryTests.java")
                            && !file.endsWith("RequiredToolTests.java")) {
                        offenders.add(file.toString());
                    }
                }
            }
        }
        assertThat(offenders).as("tests that skip themselves or read CI instead of RequiredTool").isEmpty();
    }

    private static void executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
