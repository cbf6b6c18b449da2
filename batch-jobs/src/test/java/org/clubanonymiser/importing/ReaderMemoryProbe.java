package org.clubanonymiser.importing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

import org.apache.poi.util.DefaultTempFileCreationStrategy;
import org.apache.poi.util.TempFile;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Reads a whole uploaded workbook with {@link UploadedRowReader} and prints {@code rows=<n> peakHeapMb=<m> millis=<t>}:
 * run in a JVM of its own with a small heap ({@code -Xmx256m}) by the memory tests and benchmarks.
 */
public final class ReaderMemoryProbe {

    private ReaderMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        TempFile.setTempFileCreationStrategy(new DefaultTempFileCreationStrategy(Path.of(args[1]).toFile()));
        long start = System.nanoTime();
        UploadedRowReader reader = new UploadedRowReader(file);
        reader.open(new ExecutionContext());
        long rows = 0;
        long checksum = 0;
        for (UploadedRow row = reader.read(); row != null; row = reader.read()) {
            rows++;
            checksum += row.lastName().length();
        }
        reader.close();
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("rows=" + rows + " peakHeapMb=" + peakHeapMb() + " millis=" + millis + " checksum="
                + checksum);
    }

    static long peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1024 * 1024);
    }
}
