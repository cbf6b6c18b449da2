package org.clubanonymiser.export;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.testsupport.PostgresDatabase;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The export of 200,000 members (≈ 100,000 eligible) runs in a JVM limited to 256 MB of heap: the member reader
 * pages, the manifest is written per chunk, the workbook is streamed (SXSSF) from the manifest. Runs in its own
 * surefire execution with {@code -Xmx256m} (see this module's pom), on PostgreSQL so that the database's memory is
 * not the test JVM's. {@code -Dexport.memory.members=N} changes the size; the measured figures (time, heap) go to
 * {@code target/export-memory.txt}, they are not asserted.
 */
@PostgresDatabase
class ExportJobMemoryTests {

    private static final Logger log = LoggerFactory.getLogger(ExportJobMemoryTests.class);

    private static final long MAX_HEAP = 256L * 1024 * 1024;

    private static final int MEMBERS = Integer.getInteger("export.memory.members", 200_000);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobOperator jobOperator;

    @Autowired
    Job exportJob;

    @Autowired
    StorageLayout storage;

    @Autowired
    ExportRecords records;

    @Test
    void exportsTwoHundredThousandMembersWithinTwoHundredFiftySixMegabytesOfHeap() throws Exception {
        // Only the export-memory surefire execution runs it for real (a -Dtest filter also selects it elsewhere).
        Assumptions.assumeTrue(Boolean.getBoolean("export.memory.execution"),
                "runs in the export-memory surefire execution only");
        assertThat(Runtime.getRuntime().maxMemory()).as("this test must run with -Xmx256m").isLessThanOrEqualTo(
                MAX_HEAP);
        long club = 900_001;
        jdbc.update("insert into club (id, code, name) values (?, 'BIG', 'Big club')", club);
        jdbc.update("""
                insert into app_user (id, username, display_name, password_hash, role) values
                (900001, 'big-admin', 'Admin', '{noop}demo', 'ADMIN')""");
        jdbc.update("insert into app_user_club (user_id, club_id) values (900001, ?)", club);
        seed(club, MEMBERS);
        LocalDate asOf = LocalDate.of(2026, 3, 31);
        List<Long> eligible = eligibleBySql(club, asOf.minusMonths(24));

        HeapWatch heap = new HeapWatch();
        long start = System.nanoTime();
        JobExecution execution = jobOperator.start(exportJob, new JobParametersBuilder().addLong("clubId", club)
            .addLong("inactivityMonths", 24L)
            .addString("exportName", "Memory")
            .addString("requestedBy", "big-admin")
            .addLocalDate("asOf", asOf)
            .toJobParameters());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        heap.stop();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        ExportRecord export = records.findByJobInstance(execution.getJobInstance().getInstanceId()).orElseThrow();
        assertThat(export.membersScanned()).isEqualTo(MEMBERS);
        assertThat(export.rowCount()).isEqualTo(eligible.size()).isGreaterThan(MEMBERS / 4);
        assertThat(jdbc.queryForList("select member_id from anonymisation_export_member where export_id = ?"
                + " order by member_id", Long.class, export.id())).isEqualTo(eligible);
        Path zip = storage.exportsDir().resolve(export.fileName());
        assertThat(rowsInWorkbook(zip)).isEqualTo(eligible.size() + 1);
        ExportWorkbooks.assertNoTempFiles(storage.root());

        String report = String.format("""
                export of %d members (%d eligible) at -Xmx%dm on PostgreSQL: %d s; zip %d KB;
                heap: sampled peak used %d MB, old generation after GC peak %d MB, sum of pool peaks %d MB
                """, MEMBERS, eligible.size(), Runtime.getRuntime().maxMemory() / 1024 / 1024,
                elapsed.toSeconds(), Files.size(zip) / 1024, heap.sampledPeak() / 1024 / 1024,
                heap.oldAfterGcPeak() / 1024 / 1024, heap.poolPeaks() / 1024 / 1024);
        log.info(report);
        Files.writeString(Path.of("target", "export-memory.txt"), report);
    }

    /** Counts the sheet's rows by streaming its XML: the file itself is too large for the XSSF model here. */
    private static long rowsInWorkbook(Path zip) throws Exception {
        Path xlsx = Files.createTempFile(Path.of("target"), "memory-", ".xlsx");
        try {
            try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
                in.getNextEntry();
                Files.copy(in, xlsx, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            try (OPCPackage pkg = OPCPackage.open(xlsx.toFile(), PackageAccess.READ)) {
                XSSFReader reader = new XSSFReader(pkg);
                try (var sheet = reader.getSheetsData().next()) {
                    byte[] buffer = new byte[1 << 16];
                    long rows = 0;
                    int matched = 0;
                    byte[] tag = "<row ".getBytes();
                    for (int n = sheet.read(buffer); n >= 0; n = sheet.read(buffer)) {
                        for (int i = 0; i < n; i++) {
                            matched = buffer[i] == tag[matched] ? matched + 1 : (buffer[i] == tag[0] ? 1 : 0);
                            if (matched == tag.length) {
                                rows++;
                                matched = 0;
                            }
                        }
                    }
                    return rows;
                }
            }
        }
        finally {
            Files.deleteIfExists(xlsx);
        }
    }

    /** Set-based seeding: statuses, creation dates, balances and each kind of activity spread over the members. */
    private void seed(long club, int members) {
        jdbc.update("""
                insert into member (id, member_number, club_id, status, first_name, last_name, created_at,
                    anonymised_at, sales_blocked, bookings_blocked)
                select g, 'BIG' || g, ?,
                    case when g % 10 = 0 then 'CLIENT' when g % 10 = 1 then 'ANONYMISED'
                         when g % 3 = 0 then 'FORMER_CLIENT' else 'PROSPECT' end,
                    'First' || g, 'Last' || g,
                    case when g % 50 = 7 then timestamp '2025-06-01 10:00:00'
                         else timestamp '2015-01-01 09:00:00' + (g % 3000) * interval '1 day' end,
                    case when g % 10 = 1 then timestamp '2024-01-01 00:00:00' end, false, false
                from generate_series(1, ?) g""", club, members);
        jdbc.update("""
                insert into visit (id, member_id, club_id, visited_at)
                select g, g, ?, timestamp '2019-01-01 18:00:00' + (g % 2300) * interval '1 day'
                from generate_series(1, ?) g""", club, members);
        jdbc.update("""
                insert into booking (id, member_id, club_id, booked_at, starts_at, status)
                select g, g, ?, timestamp '2020-01-01 08:00:00' + (g % 1700) * interval '1 day',
                    timestamp '2020-01-03 08:00:00' + (g % 1700) * interval '1 day', 'CONFIRMED'
                from generate_series(1, ?) g where g % 7 = 0""", club, members);
        jdbc.update("""
                insert into purchase (id, member_id, club_id, purchased_at, amount)
                select g, g, ?, timestamp '2021-01-01 12:00:00' + (g % 1400) * interval '1 day', 20.00
                from generate_series(1, ?) g where g % 5 = 0""", club, members);
        jdbc.update("""
                insert into instalment (id, member_id, due_date, amount, status)
                select g, g, date '2022-01-01' + (g % 1700), 30.00, 'DUE'
                from generate_series(1, ?) g where g % 11 = 0""", members);
        jdbc.update("""
                insert into member_account (member_id, balance)
                select g, (g % 3) - 1 from generate_series(1, ?) g where g % 13 = 0""", members);
        jdbc.execute("analyze");
    }

    private List<Long> eligibleBySql(long clubId, LocalDate cutoff) {
        Timestamp cutoffStart = Timestamp.valueOf(cutoff.atStartOfDay());
        return jdbc.queryForList("""
                select m.id from member m
                where m.club_id = ? and m.status in ('PROSPECT', 'FORMER_CLIENT') and m.anonymised_at is null
                  and m.created_at < ?
                  and not exists (select 1 from member_account a where a.member_id = m.id and a.balance <> 0)
                  and not exists (select 1 from visit v where v.member_id = m.id and v.visited_at >= ?)
                  and not exists (select 1 from booking b where b.member_id = m.id
                                  and (b.booked_at >= ? or b.starts_at >= ?))
                  and not exists (select 1 from purchase p where p.member_id = m.id and p.purchased_at >= ?)
                  and not exists (select 1 from instalment i where i.member_id = m.id and i.due_date >= ?)
                order by m.id""", Long.class, clubId, cutoffStart, cutoffStart, cutoffStart, cutoffStart,
                cutoffStart, cutoff);
    }

    /** Samples the heap every 20 ms while the job runs. */
    private static final class HeapWatch {

        private final AtomicLong sampledPeak = new AtomicLong();

        private final AtomicLong oldAfterGcPeak = new AtomicLong();

        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "heap-watch");
            thread.setDaemon(true);
            return thread;
        });

        HeapWatch() {
            List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
            sampler.scheduleAtFixedRate(() -> {
                sampledPeak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                        Math::max);
                for (MemoryPoolMXBean pool : pools) {
                    boolean old = pool.getName().contains("Old") || pool.getName().contains("Tenured");
                    if (pool.getType() == MemoryType.HEAP && old && pool.getCollectionUsage() != null) {
                        oldAfterGcPeak.accumulateAndGet(pool.getCollectionUsage().getUsed(), Math::max);
                    }
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
        }

        void stop() throws InterruptedException {
            sampler.shutdown();
            sampler.awaitTermination(1, TimeUnit.MINUTES);
        }

        long sampledPeak() {
            return sampledPeak.get();
        }

        long oldAfterGcPeak() {
            return oldAfterGcPeak.get();
        }

        long poolPeaks() {
            return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed())
                .sum();
        }
    }
}
