package org.clubanonymiser.importing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.stream.LongStream;

import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.support.workbook.ExportIdentity;
import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.support.workbook.MembersSheet;
import org.clubanonymiser.support.workbook.RowFingerprint;
import org.clubanonymiser.testsupport.PostgresDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The import of a large file ({@code -Dbenchmark.rows}, default 100,000) of eligible members with every related row,
 * on PostgreSQL (its data outside the JVM heap), run by {@code -Pbenchmarks} in a JVM limited to 256 MB. Logs and
 * writes to {@code target/benchmark-import.txt} the time and the peak heap of the job. The file is written straight as
 * OOXML with every text in the shared-strings table, as a spreadsheet application saves it; the export record carries
 * another workbook checksum, as after the admin's re-save.
 */
@Tag("benchmark")
@PostgresDatabase
class ImportBenchmarkTests {

    private static final Logger log = LoggerFactory.getLogger(ImportBenchmarkTests.class);

    static final LocalDate AS_OF = LocalDate.now();

    static final LocalDate LAST_VISIT = AS_OF.minusYears(6);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    StorageLayout storage;

    @Autowired
    JobOperator jobOperator;

    @Autowired
    JobRepository jobRepository;

    @Autowired
    @Qualifier("importJob")
    Job importJob;

    @TempDir
    Path work;

    static ExportedRow row(long id) {
        return new ExportedRow(id, String.format("M%08d", id), String.format("Last-%08d", id),
                String.format("First-%08d", id), "FORMER_CLIENT", LAST_VISIT, "VISIT", 72);
    }

    @Test
    void importsALargeFile() throws Exception {
        long rows = Long.getLong("benchmark.rows", 100_000);
        long seedStart = System.nanoTime();
        seed(rows);
        long exportId = 1;
        InactivityPeriod period = new InactivityPeriod(AS_OF, 36);
        jdbc.update("""
                insert into anonymisation_export (id, name, club_id, inactivity_months, as_of, cutoff, requested_by,
                    status, row_count, file_name, workbook_checksum, format_version, created_at)
                values (?, 'benchmark', 1, 36, ?, ?, 'admin', 'COMPLETED', ?, 'benchmark.zip', ?, 1, ?)""", exportId,
                Date.valueOf(AS_OF), Date.valueOf(period.cutoff()), rows, "0".repeat(64),
                Timestamp.valueOf(LocalDateTime.now()));
        jdbc.update("""
                insert into anonymisation_export_member (export_id, member_id, member_number, last_name, first_name,
                    status, last_activity, last_activity_kind, months_inactive, fingerprint)
                select ?, m.id, m.member_number, m.last_name, m.first_name, m.status, ?, 'VISIT', 72,
                    encode(sha256(convert_to(concat_ws(chr(31), ?::text, m.id::text, m.member_number, m.last_name,
                        m.first_name, m.status, ?::text, 'VISIT', '72'), 'UTF8')), 'hex')
                from member m""", exportId, Date.valueOf(LAST_VISIT), exportId, LAST_VISIT.toString());
        assertThat(jdbc.queryForObject("select fingerprint from anonymisation_export_member where member_id = 1",
                String.class)).isEqualTo(RowFingerprint.of(exportId, row(1)));
        Path file = work.resolve("benchmark.xlsx");
        RawXlsxWriter.write(file, new ExportIdentity(exportId, 1, "C1", AS_OF, period.cutoff(), 36, rows,
                LocalDateTime.now().withNano(0), MembersSheet.FORMAT_VERSION),
                () -> LongStream.rangeClosed(1, rows).mapToObj(ImportBenchmarkTests::row).iterator());
        long seedSeconds = (System.nanoTime() - seedStart) / 1_000_000_000;

        JobOperatorTestUtils launcher = new JobOperatorTestUtils(jobOperator, jobRepository);
        launcher.setJob(importJob);
        System.gc();
        long baselineMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        LiveHeap liveHeap = LiveHeap.watch();
        long start = System.nanoTime();
        JobExecution execution = launcher.startJob(ImportJobParameters.of(file, "admin"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        liveHeap.stop();

        assertThat(execution.getStatus()).as(execution.getExitStatus().getExitDescription())
            .isEqualTo(BatchStatus.COMPLETED);
        assertThat(jdbc.queryForObject("select count(*) from anonymisation_ledger", Long.class)).isEqualTo(rows);
        String report = String.format("importJob benchmark: %d rows (%d MB file, PostgreSQL, chunk %s, max heap %d MB):"
                + " %.1f s, %.0f rows/s, peak heap after GC %d MB over %d GCs (%d MB before the job; sum of pool peaks"
                + " %d MB) (seeding %d s)",
                rows, Files.size(file) / 1_000_000, System.getProperty("anonymiser.import.chunk-size", "500"),
                Runtime.getRuntime().maxMemory() / (1024 * 1024), millis / 1000.0, rows * 1000.0 / millis,
                liveHeap.peakMb(), liveHeap.collections(), baselineMb, peakHeapMb(), seedSeconds);
        StringBuilder steps = new StringBuilder();
        for (var step : execution.getStepExecutions()) {
            steps.append(String.format("; %s %.1f s", step.getStepName(),
                    java.time.Duration.between(step.getStartTime(), step.getEndTime()).toMillis() / 1000.0));
        }
        report = report + steps;
        log.warn(report);
        Files.writeString(Path.of("target", "benchmark-import.txt"), report + System.lineSeparator(),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /**
     * The largest heap left in use after a garbage collection while the job ran: the job's live set at its peak, a
     * truer figure than the pools' peak usage (which counts garbage not yet collected).
     */
    static final class LiveHeap implements javax.management.NotificationListener {

        private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();

        private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();

        static LiveHeap watch() {
            LiveHeap watcher = new LiveHeap();
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((javax.management.NotificationEmitter) gc).addNotificationListener(watcher, null, null);
            }
            return watcher;
        }

        @Override
        public void handleNotification(javax.management.Notification notification, Object handback) {
            if (!notification.getType().equals(
                    com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                return;
            }
            var info = com.sun.management.GarbageCollectionNotificationInfo
                .from((javax.management.openmbean.CompositeData) notification.getUserData());
            long used = 0;
            for (var entry : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPool(entry.getKey())) {
                    used += entry.getValue().getUsed();
                }
            }
            peak.accumulateAndGet(used, Math::max);
            count.incrementAndGet();
        }

        private static boolean heapPool(String name) {
            return ManagementFactory.getMemoryPoolMXBeans().stream()
                .anyMatch(pool -> pool.getName().equals(name) && pool.getType() == MemoryType.HEAP);
        }

        void stop() {
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                try {
                    ((javax.management.NotificationEmitter) gc).removeNotificationListener(this);
                }
                catch (javax.management.ListenerNotFoundException ex) {
                    // Not registered on this collector.
                }
            }
        }

        long peakMb() {
            return peak.get() / (1024 * 1024);
        }

        long collections() {
            return count.get();
        }
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

    /** Club 1, its admin, and members 1..rows, eligible, each with the related rows of a real member. */
    private void seed(long rows) {
        jdbc.update("insert into club (id, code, name) values (1, 'C1', 'Club 1')");
        jdbc.update("""
                insert into app_user (id, username, display_name, password_hash, role, mass_anonymisation_granted)
                values (1, 'admin', 'Admin', '{noop}x', 'ADMIN', false)""");
        jdbc.update("insert into app_user_club (user_id, club_id) values (1, 1)");
        Timestamp old = Timestamp.valueOf(LAST_VISIT.atTime(10, 0));
        jdbc.update("""
                insert into member (id, member_number, club_id, status, first_name, last_name, email, birth_date, notes,
                    created_at, sales_blocked, bookings_blocked)
                select g, 'M' || lpad(g::text, 8, '0'), 1, 'FORMER_CLIENT', 'First-' || lpad(g::text, 8, '0'),
                    'Last-' || lpad(g::text, 8, '0'), 'm' || g || '@example.org', date '1980-01-01', 'notes',
                    cast(? as timestamp) - interval '3 years', false, false
                from generate_series(1, ?) g""", old, rows);
        jdbc.update("""
                insert into member_address (member_id, line1, line2, postcode, city, country)
                select g, g || ' rue X', null, '75001', 'Paris', 'FR' from generate_series(1, ?) g""", rows);
        jdbc.update("""
                insert into member_phone (id, member_id, kind, number)
                select g, g, 'MOBILE', '06' || g from generate_series(1, ?) g""", rows);
        jdbc.update("""
                insert into member_consent (member_id, channel, granted, updated_at)
                select g, c, true, ? from generate_series(1, ?) g
                cross join (values ('EMAIL'), ('SMS'), ('POST'), ('PHONE'), ('PARTNERS')) as channels(c)""", old,
                rows);
        jdbc.update("insert into member_account (member_id, balance) select g, 0 from generate_series(1, ?) g",
                rows);
        jdbc.update("""
                insert into badge (id, badge_number, member_id, status, assigned_at)
                select g, 'B' || g, g, 'ACTIVE', ? from generate_series(1, ?) g""", old, rows);
        jdbc.update("""
                insert into visit (id, member_id, club_id, visited_at)
                select g, g, 1, ? from generate_series(1, ?) g""", old, rows);
        jdbc.update("""
                insert into booking (id, member_id, club_id, booked_at, starts_at, status)
                select g, g, 1, cast(? as timestamp) - interval '3 days', cast(? as timestamp) - interval '1 day', 'DONE'
                from generate_series(1, ?) g""", old, old, rows);
        jdbc.update("""
                insert into purchase (id, member_id, club_id, purchased_at, amount)
                select g, g, 1, cast(? as timestamp) - interval '10 days', 49.90 from generate_series(1, ?) g""", old, rows);
        jdbc.update("""
                insert into instalment (id, member_id, due_date, amount, status)
                select g, g, ?, 29.90, 'PAID' from generate_series(1, ?) g""", Date.valueOf(LAST_VISIT.minusMonths(1)),
                rows);
        jdbc.update("""
                insert into invoice (id, member_id, invoice_number, issued_at, amount)
                select g, g, 'INV' || g, cast(? as timestamp) - interval '10 days', 49.90 from generate_series(1, ?) g""", old, rows);
        jdbc.execute("analyze");
    }

}
