package org.clubanonymiser.importing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.clubanonymiser.support.workbook.ExportIdentity;
import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.support.workbook.MembersSheet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reader's memory does not grow with the file: 200,000 rows of distinct names, all in the shared-strings table
 * (as Excel and LibreOffice save them), read by a JVM limited to 256 MB. The figures are logged; the 1M-row import is
 * a benchmark ({@code -Pbenchmarks}).
 */
class UploadedRowReaderMemoryTests {

    private static final Logger log = LoggerFactory.getLogger(UploadedRowReaderMemoryTests.class);

    static final int ROWS = 200_000;

    @TempDir
    Path dir;

    /** Rows with distinct member numbers and names, generated as they are written. */
    static Iterable<ExportedRow> distinctRows(int count) {
        return () -> new Iterator<>() {

            int next = 1;

            @Override
            public boolean hasNext() {
                return next <= count;
            }

            @Override
            public ExportedRow next() {
                int i = next++;
                return new ExportedRow(i, String.format("M%08d", i), String.format("Lastname-%08d", i),
                        String.format("Firstname-%08d", i), i % 2 == 0 ? "PROSPECT" : "FORMER_CLIENT",
                        LocalDate.of(2018, 1, 1).plusDays(i % 1000), "VISIT", 40 + i % 40);
            }
        };
    }

    static ExportIdentity identity(int rows) {
        return new ExportIdentity(1, 1, "C1", LocalDate.of(2026, 6, 30), LocalDate.of(2023, 6, 30), 36, rows,
                LocalDateTime.of(2026, 6, 30, 9, 0), MembersSheet.FORMAT_VERSION);
    }

    /** Runs {@link ReaderMemoryProbe} in a JVM with this heap; returns its report line. */
    static String probe(Path file, Path tempDir, String maxHeap) throws IOException, InterruptedException {
        Path output = Files.createTempFile(tempDir, "probe", ".txt");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"), ReaderMemoryProbe.class.getName(),
                file.toString(), tempDir.resolve("poi").toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("The probe did not finish");
        }
        String report = Files.readString(output);
        assertThat(process.exitValue()).as(report).isZero();
        return report;
    }

    @Test
    void readsTwoHundredThousandDistinctSharedStringsIn256Megabytes() throws Exception {
        Path file = dir.resolve("members.xlsx");
        RawXlsxWriter.write(file, identity(ROWS), () -> distinctRows(ROWS).iterator());
        try (var zip = new java.util.zip.ZipFile(file.toFile())) {
            assertThat(zip.getEntry("xl/sharedStrings.xml").getSize()).as("shared strings, bytes")
                .isGreaterThan(10_000_000);
        }

        String report = probe(file, dir, "256m");

        Matcher matcher = Pattern.compile("rows=(\\d+) peakHeapMb=(\\d+) millis=(\\d+)").matcher(report);
        assertThat(matcher.find()).as(report).isTrue();
        assertThat(Long.parseLong(matcher.group(1))).isEqualTo(ROWS);
        log.info("Read {} rows ({} MB file) at -Xmx256m: peak heap {} MB, {} ms", ROWS, Files.size(file) / 1_000_000,
                matcher.group(2), matcher.group(3));
    }
}
