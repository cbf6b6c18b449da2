package org.clubanonymiser.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

import org.clubanonymiser.support.database.H2DeadPageScrub;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreTool;

/**
 * The H2 close-time compaction on its own, on a copy of a database an import (or its floor) left: how long it takes,
 * how much of it is CPU, and whether an anonymised value is still readable in the raw file after it (the canary scan:
 * every e-mail address of a file of canaries looked for in the file's bytes).
 * <p>
 * {@code CompactionBench <dir holding anonymiser.mv.db> <mode> [canaries.txt]}; modes: {@code compact} ({@code
 * SHUTDOWN COMPACT}, what the product runs), {@code defrag} ({@code SHUTDOWN DEFRAG}), {@code copy} (a plain {@code
 * SHUTDOWN}, then H2's own live-page copy, {@code MVStore.compact}, without compressing the pages), {@code partial}
 * (MVStore's {@code compactFile}: only the chunks holding dead pages rewritten, then a plain close), {@code scrub} (a
 * plain {@code SHUTDOWN}, then the application's {@code H2DeadPageScrub}: dead pages and free blocks zeroed in place,
 * or the uncompressed copy when it refuses; needs {@code batch-jobs/target/classes} and slf4j on the class path),
 * {@code scan} (nothing, the scan only). With a fourth argument, {@code kept.txt}, the positive control: how many of
 * the values listed there (kept members' e-mail addresses) the same scan finds. {@code checksum}: each table's row
 * count and a hash of its rows, to compare the files two modes left. {@code closed}: the scrub alone, on the file as
 * it is (already closed, not opened: the same input every run); with {@code -Dbench.heapSampleMs=N}, the peak live heap
 * during it (a full collection every N ms, which slows it: time it without). Threads of H2's copy: {@code -Dh2.compactThreads} (H2's default: a quarter of the
 * processors, at least one).
 */
public final class CompactionBench {

    private CompactionBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath();
        String mode = args[1];
        Path file = dir.resolve("anonymiser.mv.db");
        long sizeBefore = Files.size(file);
        String url = "jdbc:h2:file:" + dir.resolve("anonymiser") + ";AUTO_COMPACT_FILL_RATE=0";
        long open = System.nanoTime();
        long cpuStart = cpu();
        long start = open;
        long closed = 0;
        if (mode.equals("partial")) {
            // Rewriting less than the file: MVStore's own compaction of its low-fill chunks (the live pages of
            // chunks that hold dead ones moved into new chunks, the old chunks freed), then a plain close.
            try (MVStore store = new MVStore.Builder().fileName(file.toString()).autoCompactFillRate(99).open()) {
                start = System.nanoTime();
                cpuStart = cpu();
                // Every chunk below 99% live is rewritten (the threshold is the store's fill rate).
                store.compactFile(Integer.MAX_VALUE);
            }
        }
        else if (mode.equals("checksum")) {
            checksum(url);
            return;
        }
        else if (mode.equals("closed")) {
            // The scrub alone, on the file as it was left closed: the same input for every run (no close-time
            // compaction), so that two builds' outputs compare byte for byte.
            HeapSampler heap = HeapSampler.start(Long.getLong("bench.heapSampleMs", 0));
            start = System.nanoTime();
            cpuStart = cpu();
            printScrub(H2DeadPageScrub.scrubOrRewrite(file.toString()));
            heap.stop();
        }
        else if (!mode.equals("scan")) {
            try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
                start = System.nanoTime();
                cpuStart = cpu();
                try (Statement statement = connection.createStatement()) {
                    statement.execute(switch (mode) {
                        case "compact" -> "SHUTDOWN COMPACT";
                        case "defrag" -> "SHUTDOWN DEFRAG";
                        case "copy", "scrub" -> "SHUTDOWN";
                        default -> throw new IllegalArgumentException(mode);
                    });
                }
            }
            catch (SQLException ex) {
                // The connection dies with the database.
            }
            if (mode.equals("copy")) {
                String temp = file + ".tempFile";
                MVStore.compact(file.toString(), temp, false, null);
                MVStoreTool.moveAtomicReplace(temp, file.toString());
            }
            closed = System.nanoTime();
            if (mode.equals("scrub")) {
                printScrub(H2DeadPageScrub.scrubOrRewrite(file.toString()));
            }
        }
        long wall = (System.nanoTime() - start) / 1_000_000;
        long cpu = (cpu() - cpuStart) / 1_000_000;
        System.out.printf("mode=%s threads=%s wall_ms=%d cpu_ms=%d open_ms=%d shutdown_ms=%d size_before_mb=%d"
                + " size_after_mb=%d%n", mode, System.getProperty("h2.compactThreads", "default"), wall, cpu,
                (start - open) / 1_000_000, closed == 0 ? 0 : (closed - start) / 1_000_000, sizeBefore >> 20,
                Files.size(file) >> 20);
        if (args.length > 2) {
            System.out.println("canaries_found=" + scan(file, Set.copyOf(Files.readAllLines(Path.of(args[2])))));
        }
        if (args.length > 3) {
            System.out.println("kept_found=" + scan(file, Set.copyOf(Files.readAllLines(Path.of(args[3]))))
                    + " of " + Set.copyOf(Files.readAllLines(Path.of(args[3]))).size());
        }
    }

    private static void printScrub(H2DeadPageScrub.Result result) {
        System.out.println(result == null ? "scrub refused: full copy made"
                : "dead_pages=" + result.deadPages() + " stray_pages=" + result.strayPages() + " emptied_pages="
                        + result.emptiedPages() + " free_ranges=" + result.freeRanges() + " bytes_zeroed="
                        + result.bytesZeroed());
    }

    /**
     * The live heap while the scrub runs: every {@code periodMs} a full collection ({@code System.gc()}, G1's is a full
     * one) then the heap used, the peak printed at the end. The collections slow the scrub: time it without them.
     */
    static final class HeapSampler {

        private final Thread thread;

        private volatile boolean stopped;

        private long peak;

        private int samples;

        private HeapSampler(long periodMs) {
            thread = new Thread(() -> {
                while (!stopped) {
                    sample();
                    try {
                        Thread.sleep(periodMs);
                    }
                    catch (InterruptedException ex) {
                        return;
                    }
                }
            }, "heap-sampler");
        }

        static HeapSampler start(long periodMs) {
            HeapSampler sampler = new HeapSampler(periodMs);
            if (periodMs > 0) {
                sampler.sample();
                System.out.printf("live_heap_before_mb=%.1f%n", sampler.peak / 1048576.0);
                sampler.thread.setDaemon(true);
                sampler.thread.start();
            }
            return sampler;
        }

        private synchronized void sample() {
            System.gc();
            peak = Math.max(peak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            samples++;
        }

        void stop() throws InterruptedException {
            if (thread.isAlive()) {
                stopped = true;
                thread.interrupt();
                thread.join();
                System.out.printf("peak_live_heap_mb=%.1f samples=%d%n", peak / 1048576.0, samples);
            }
        }
    }

    /**
     * The content, to compare two files: each table's row count and the sum of a hash of each row (all columns) of the
     * member tables.
     */
    static void checksum(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement()) {
            java.util.List<String> tables = new java.util.ArrayList<>();
            try (var rs = statement.executeQuery("select table_name from information_schema.tables"
                    + " where table_schema = 'PUBLIC' order by table_name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                java.util.List<String> columns = new java.util.ArrayList<>();
                try (var rs = statement.executeQuery("select column_name from information_schema.columns"
                        + " where table_schema = 'PUBLIC' and table_name = '" + table + "' order by ordinal_position")) {
                    while (rs.next()) {
                        columns.add("coalesce(cast(\"" + rs.getString(1) + "\" as varchar), '~')");
                    }
                }
                try (var rs = statement.executeQuery("select count(*), sum(cast(ora_hash(concat_ws('|', "
                        + String.join(", ", columns) + ")) as bigint)) from \"" + table + "\"")) {
                    rs.next();
                    System.out.println("table=" + table + " rows=" + rs.getLong(1) + " hash=" + rs.getLong(2));
                }
            }
        }
    }

    /** The canaries found in the file's bytes: every e-mail-shaped token around an {@code @}, looked up. */
    static int scan(Path file, Set<String> canaries) throws IOException {
        Set<String> found = new HashSet<>();
        byte[] buffer = new byte[8 << 20];
        int overlap = 256;
        int carried = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.readNBytes(buffer, carried, buffer.length - carried)) > 0) {
                int length = carried + read;
                int limit = length == buffer.length ? length - overlap : length;
                for (int i = 0; i < limit; i++) {
                    if (buffer[i] == '@') {
                        int from = i;
                        while (from > 0 && token(buffer[from - 1])) {
                            from--;
                        }
                        int to = i + 1;
                        while (to < length && token(buffer[to])) {
                            to++;
                        }
                        // The token may take in the bytes around the value (H2's type and length bytes can be
                        // letters): a few starts and ends around it are looked up.
                        for (int s = from; s <= Math.min(from + 3, i - 1); s++) {
                            for (int e = Math.max(i + 2, to - 3); e <= to; e++) {
                                String candidate = new String(buffer, s, e - s, StandardCharsets.US_ASCII);
                                if (canaries.contains(candidate)) {
                                    found.add(candidate);
                                }
                            }
                        }
                    }
                }
                System.arraycopy(buffer, limit, buffer, 0, length - limit);
                carried = length - limit;
                if (length < buffer.length) {
                    break;
                }
            }
        }
        return found.size();
    }

    private static boolean token(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '.' || b == '-' || b == '_'
                || b == '+' || b == '@';
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }
}
