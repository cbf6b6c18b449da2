package org.clubanonymiser.faults;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipInputStream;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.launch.DataFlowMetadataSchema;
import org.clubanonymiser.support.database.H2FileCompaction;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jepsen-style kill-and-verify: the real application runs as a child JVM and is killed with SIGKILL
 * ({@link Process#destroyForcibly()}) at seeded random points of export step 1 ({@code exportManifestStep}), export
 * step 2 ({@code exportWorkbookStep}) and import step 2 ({@code importAnonymiseStep}); the same command is then
 * relaunched (it recovers the dead STARTED execution once its heartbeat is older than the lease) until the job
 * completes, and the invariants are checked once at the end.
 * <p>
 * The H2 file database is served by a TCP server in this JVM, as a database server is in production: the child
 * owns no database file, so killing it is what killing the application is, and this test can watch progress
 * ({@code BATCH_STEP_EXECUTION.COMMIT_COUNT}) while it runs. Kill points: {@code -Dcrash.points} (default 6, spread
 * over the three steps), seed {@code -Dcrash.seed}.
 */
class CrashRestartTests {

    static final String AS_OF = "2026-01-15";

    static final Duration LEASE = Duration.ofSeconds(3);

    Path workDir;

    Path storage;

    Server server;

    String databaseUrl;

    /**
     * Where the job repository and the task records live: the product database ({@link #databaseUrl}) by default;
     * Data Flow's, with its {@code BOOT3_} prefixes, in two-database mode ({@link #twoDatabases()}).
     */
    String metadataUrl;

    boolean twoDatabases;

    Random random;

    final List<String> killLog = new ArrayList<>();

    final Map<Process, Path> childLogs = new java.util.IdentityHashMap<>();

    int killsTried;

    @BeforeEach
    void freshDatabase() throws Exception {
        Path target = Files.createDirectories(Path.of("target", "crash-tests"));
        workDir = Files.createTempDirectory(target, "run-").toAbsolutePath();
        storage = workDir.resolve("storage");
        server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", workDir.resolve("db").toString())
            .start();
        databaseUrl = "jdbc:h2:tcp://localhost:" + server.getPort() + "/anonymiser";
        metadataUrl = databaseUrl;
        long seed = Long.getLong("crash.seed", 20261129L);
        random = new Random(seed);
        killLog.add("seed " + seed);
    }

    @AfterEach
    void stopServer() {
        server.stop();
        System.clearProperty(LEGACY_SEQUENCE);
    }

    /** Data Flow's sequence name for its {@code BOOT3_BATCH_} tables: a system property, as the README says. */
    static final String LEGACY_SEQUENCE = "spring.batch.jdbc.schema.legacy";

    /**
     * Two databases, as under Data Flow: the job repository and the task records in a second database of the same
     * server ({@code BOOT3_*} tables, created as Data Flow creates them), the members and the product's tables in the
     * product database ({@code anonymiser.datasource.*}).
     */
    void twoDatabases() throws Exception {
        metadataUrl = "jdbc:h2:tcp://localhost:" + server.getPort() + "/dataflow";
        try (Connection connection = DriverManager.getConnection(metadataUrl, "sa", "");
                Statement statement = connection.createStatement()) {
            for (String sql : DataFlowMetadataSchema.statements()) {
                statement.execute(sql);
            }
        }
        System.setProperty(LEGACY_SEQUENCE, "true");
        twoDatabases = true;
    }

    @Test
    void killedExportAndImportRestartToTheSameOutcome() throws Exception {
        int points = Integer.getInteger("crash.points", 6);
        int exportManifestKills = (points + 2) / 3;
        int exportWorkbookKills = (points + 1) / 3;
        int importKills = points / 3;
        // Enough chunks (of 50) for every kill point to land inside the step it aims at.
        int members = Math.max(3000, 1500 * exportManifestKills);

        Set<Long> eligible = seed(members);
        String[] export = exportCommand();
        for (int i = 0; i < exportManifestKills; i++) {
            killAtRow(export, "exportManifestStep", 50 + random.nextInt(400));
        }
        for (int i = 0; i < exportWorkbookKills; i++) {
            killAtRow(export, "exportWorkbookStep", 1 + random.nextInt(200));
        }
        completes(export);
        Review review = exported(members, eligible);

        String[] importCommand = importCommand(review);
        for (int i = 0; i < importKills; i++) {
            killAtRow(importCommand, "importAnonymiseStep", 20 + random.nextInt(150));
        }
        completes(importCommand);

        assertImported(review, "FAILED");
        assertThat(killsTried).as(String.join("\n", killLog)).isEqualTo(points);
        System.out.println("Crash points survived " + killsTried + " / tried " + killsTried + "\n"
                + String.join("\n", killLog));
    }

    /**
     * Data Flow's topology: the job repository in Data Flow's database, the members in the product database, so a
     * chunk commits twice. Each kill lands between the two commits, in both orders ({@link CrashPoints}): in the
     * application's order (metadata first) the job repository has a chunk the product database rolled back; in the
     * other one the product database has a chunk the job repository never saved. Twice in the export's manifest step,
     * twice in the import's anonymising step; each relaunch resumes from the product database's committed position and
     * says so. Nothing is skipped nor done twice: every eligible member in the manifest exactly once, scanned once;
     * every row of the file anonymised or rejected exactly once, {@code rows_read} and every count exact.
     */
    @Test
    void killedBetweenTheTwoDatabasesCommitsNothingIsSkippedNorDoneTwice() throws Exception {
        twoDatabases();
        Set<Long> eligible = seed(2000);
        String[] export = exportCommand();
        killBetweenCommits(export, "exportManifestStep", 2 + random.nextInt(8), "metadata-first");
        killBetweenCommits(export, "exportManifestStep", 2 + random.nextInt(8), "product-first");
        completes(export);
        Review review = exported(2000, eligible);
        assertThat(count("select last_scanned_member_id from anonymisation_export"))
            .isEqualTo(count("select max(id) from member where club_id = 1"));

        String[] importCommand = importCommand(review);
        killBetweenCommits(importCommand, "importAnonymiseStep", 1 + random.nextInt(2), "metadata-first");
        killBetweenCommits(importCommand, "importAnonymiseStep", 1 + random.nextInt(2), "product-first");
        completes(importCommand);

        assertImported(review, "FAILED");
        String ours = " from anonymisation_import where export_id is not null";
        long importId = count("select id" + ours);
        assertThat(count("select count(*) from anonymisation_ledger where import_id = " + importId)
                + count("select count(*) from anonymisation_import_rejection where import_id = " + importId))
            .isEqualTo(eligible.size());
        assertThat(count("select rows_already_anonymised" + ours)).isZero();
        assertThat(count("select last_committed_row" + ours)).as("the file's last row").isEqualTo(eligible.size() + 1);
        // Nothing of the product in Data Flow's database.
        assertThat(strings("select count(*) from information_schema.tables where table_schema = 'PUBLIC'"
                + " and table_name not like 'BOOT3_%'", metadataUrl)).containsExactly("0");
        assertThat(killsTried).as(String.join("\n", killLog)).isEqualTo(4);
        assertThat(childLogLines("resuming from the product database's committed position"))
            .as("each relaunch after a kill between the commits").hasSize(4)
            .allMatch(line -> !line.contains("Edited"));
        System.out.println("Crash points between the two commits survived " + killsTried + "\n"
                + String.join("\n", killLog));
    }

    /**
     * SIGTERM ({@link Process#destroy()}) mid-import: the application stops the execution after the chunk in progress
     * commits (STOPPED, exit code 143), and the same command restarts it to the same outcome as an uninterrupted run.
     */
    @Test
    void sigtermStopsTheImportAtAChunkBoundaryAndTheSameCommandCompletesIt() throws Exception {
        Set<Long> eligible = seed(2000);
        completes(exportCommand());
        Review review = exported(2000, eligible);
        String[] importCommand = importCommand(review);

        int commits = 2 + random.nextInt(4);
        Process process = launch(importCommand, "--anonymiser.import.chunk-size=10");
        awaitCommits(process, "importAnonymiseStep", 0, commits);
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(143);

        assertThat(strings("select status || ':' || exit_code from batch_job_execution e join batch_job_instance i"
                + " on i.job_instance_id = e.job_instance_id where i.job_name = 'importJob'"))
            .containsExactly("STOPPED:STOPPED");
        assertThat(strings("select s.step_name || ':' || s.status from batch_step_execution s join batch_job_execution e"
                + " on e.job_execution_id = s.job_execution_id join batch_job_instance i"
                + " on i.job_instance_id = e.job_instance_id where i.job_name = 'importJob' order by s.step_execution_id"))
            .containsExactly("importFileGateStep:COMPLETED", "importAnonymiseStep:STOPPED");
        // At a chunk boundary: what the step says it committed is exactly what the database holds.
        String step = " from batch_step_execution where step_name = 'importAnonymiseStep'";
        long committedChunks = count("select commit_count" + step);
        long read = count("select read_count" + step);
        assertThat(committedChunks).isGreaterThanOrEqualTo(commits);
        assertThat(read).isEqualTo(10 * committedChunks).isLessThan(eligible.size());
        assertThat(count("select rollback_count" + step)).isZero();
        String ours = " from anonymisation_import where export_id is not null";
        long importId = count("select id" + ours);
        assertThat(count("select rows_read" + ours)).isEqualTo(read);
        assertThat(count("select count(*) from anonymisation_ledger where import_id = " + importId)
                + count("select count(*) from anonymisation_import_rejection where import_id = " + importId))
            .isEqualTo(read);
        assertThat(count("select count(*) from anonymisation_ledger where import_id = " + importId))
            .isEqualTo(count("select members_anonymised" + ours))
            .isEqualTo(count("select write_count" + step));
        assertThat(strings("select status" + ours)).containsExactly("FAILED");
        assertThat(tempFiles()).isEmpty();
        // What Data Flow shows: the task's exit code, as the process's.
        assertThat(strings("select exit_code from task_execution order by task_execution_id desc"))
            .first().isEqualTo("143");
        killLog.add("SIGTERM after %d commits of 10 rows: stopped after %d".formatted(commits, committedChunks));

        completes(importCommand);
        assertImported(review, "STOPPED");
        System.out.println(String.join("\n", killLog));
    }

    /**
     * Two processes launch the same import, and they do overlap: the first is held inside its first chunk (a pause
     * point, see {@link CrashPoints}) while the second is launched, so the second must be refused as a running
     * execution's duplicate (exit 1, "refusing to start it a second time" or "already running"), never as "already
     * completed"; then the first is released and completes. The simultaneous start itself is raced in-process by
     * {@code ImportConcurrencyJobFunctionalTests} (two threads past a barrier).
     */
    @Test
    void aSecondProcessLaunchingARunningImportIsRefusedAndTouchesNothing() throws Exception {
        Set<Long> eligible = seed(2000);
        completes(exportCommand());
        Review review = exported(2000, eligible);
        String[] importCommand = importCommand(review);
        Path paused = workDir.resolve("paused-first");
        Path release = Files.writeString(workDir.resolve("release-first"), "held");

        Process first = launch(importCommand, "--anonymiser.import.chunk-size=10",
                "--anonymiser.test.pause-at=importAnonymiseStep:3", "--anonymiser.test.paused-marker=" + paused,
                "--anonymiser.test.release-file=" + release);
        awaitPaused(first, paused, "the first chunk of the first process");
        Process second = launch(importCommand, "--anonymiser.import.chunk-size=10");
        assertThat(second.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(first.isAlive()).as("the first process, held, while the second was refused").isTrue();
        Files.delete(release);
        assertThat(first.waitFor(3, TimeUnit.MINUTES)).isTrue();

        assertThat(first.exitValue()).isZero();
        assertThat(second.exitValue()).isEqualTo(1);
        String refusal = Files.readString(childLog(second));
        assertThat(refusal).containsAnyOf("refusing to start it a second time", "already running")
            .doesNotContain("already completed");
        assertImported(review, "none");
        assertThat(count("select count(*) from batch_job_execution e join batch_job_instance i"
                + " on i.job_instance_id = e.job_instance_id where i.job_name = 'importJob'")).isOne();
    }

    /** Demo data (one club) plus the canary members; returns the members eligible at 36 months. */
    Set<Long> seed(int members) throws Exception {
        assertThat(AnonymiserApplication.run(arguments("--spring.batch.job.name=demoDataJob", "members=" + members,
                "clubs=1", "seed=7", "asOf=" + AS_OF))).isZero();
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "")) {
            PiiCanaryTests.seedCanaryMembers(connection);
        }
        Set<Long> eligible = new HashSet<>(longs("""
                select m.id from member m where m.club_id = 1 and m.status in ('PROSPECT', 'FORMER_CLIENT')
                and m.anonymised_at is null and m.created_at < timestamp '2023-01-15 00:00:00'
                and coalesce((select a.balance from member_account a where a.member_id = m.id), 0) = 0
                and not exists (select 1 from visit v where v.member_id = m.id and v.visited_at >= timestamp '2023-01-15 00:00:00')
                and not exists (select 1 from booking b where b.member_id = m.id and (b.booked_at >= timestamp '2023-01-15 00:00:00' or b.starts_at >= timestamp '2023-01-15 00:00:00'))
                and not exists (select 1 from purchase p where p.member_id = m.id and p.purchased_at >= timestamp '2023-01-15 00:00:00')
                and not exists (select 1 from instalment i where i.member_id = m.id and i.due_date >= date '2023-01-15')"""));
        assertThat(eligible).hasSizeGreaterThan(300).contains(990001L, 990002L, 990003L);
        return eligible;
    }

    static String[] exportCommand() {
        return new String[] { "--spring.batch.job.name=exportJob", "clubId=1", "inactivityMonths=36",
                "exportName=crash", "requestedBy=admin.multi", "asOf=" + AS_OF };
    }

    static String[] importCommand(Review review) {
        return new String[] { "--spring.batch.job.name=importJob", "file=" + review.file(),
                "requestedBy=admin.multi" };
    }

    /** The completed export, checked; then the admin's review and the state of everything before the import. */
    record Review(Set<Long> eligible, List<Long> edited, Path file, Map<String, List<String>> before,
            Set<Long> anonymisedBefore) {
    }

    Review exported(int members, Set<Long> eligible) throws Exception {
        assertThat(strings("select status from batch_job_execution e join batch_job_instance i"
                + " on i.job_instance_id = e.job_instance_id where i.job_name = 'exportJob'"))
            .containsOnlyOnce("COMPLETED")
            .allMatch(status -> status.equals("COMPLETED") || status.equals("FAILED"));
        assertThat(count("select count(*) from batch_job_instance where job_name = 'exportJob'")).isOne();
        assertThat(strings("select status from anonymisation_export")).containsExactly("COMPLETED");
        assertThat(new HashSet<>(longs("select member_id from anonymisation_export_member"))).isEqualTo(eligible);
        assertThat(count("select count(*) from anonymisation_export_member")).isEqualTo(eligible.size());
        assertThat(count("select row_count from anonymisation_export")).isEqualTo(eligible.size());
        assertThat(count("select members_eligible from anonymisation_export")).isEqualTo(eligible.size());
        assertThat(count("select members_scanned from anonymisation_export")).isEqualTo(members + 3);
        assertThat(tempFiles()).isEmpty();
        Path zip;
        try (Stream<Path> files = Files.list(storage.resolve("exports"))) {
            List<Path> exports = files.toList();
            assertThat(exports).hasSize(1);
            zip = exports.get(0);
        }
        // After the export (crashed or not), its leftovers hold no canary: only the export's own zip may.
        PiiScan scan = new PiiScan(PiiCanaryTests.CANARIES, workDir);
        assertThat(scan.files(storage)).allMatch(finding -> finding.startsWith("file exports" + File.separator
                + zip.getFileName()));

        // The admin's review: re-saved with POI, with three names edited (each rejected as CONTENT_MODIFIED).
        Path reviewed = workDir.resolve("reviewed.xlsx");
        List<Long> edited = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            in.getNextEntry();
            try (XSSFWorkbook workbook = new XSSFWorkbook(in); OutputStream out = Files.newOutputStream(reviewed)) {
                Sheet sheet = workbook.getSheet("Members");
                assertThat(sheet.getLastRowNum()).isEqualTo(eligible.size());
                for (int rowIndex : new int[] { 7, eligible.size() / 2, eligible.size() - 5 }) {
                    Row row = sheet.getRow(rowIndex);
                    edited.add((long) row.getCell(0).getNumericCellValue());
                    row.getCell(2).setCellValue("Edited");
                }
                workbook.write(out);
            }
        }
        Map<String, List<String>> before = snapshot(eligible, edited);
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "")) {
            assertThat(scan.tables(connection))
                .anyMatch(finding -> finding.startsWith("table MEMBER."))
                .anyMatch(finding -> finding.startsWith("table ANONYMISATION_EXPORT_MEMBER."));
        }
        Set<Long> anonymisedBefore = new HashSet<>(longs("select id from member where status = 'ANONYMISED'"));
        return new Review(eligible, edited, reviewed, before, anonymisedBefore);
    }

    /**
     * The import's invariants once the relaunches completed it: one COMPLETED execution (the others
     * {@code interrupted}: FAILED after a crash, STOPPED after a SIGTERM), each eligible listed member anonymised
     * exactly once, the edited rows rejected exactly once, nothing else changed, no temp file, no canary anywhere.
     */
    void assertImported(Review review, String interrupted) throws Exception {
        Set<Long> eligible = review.eligible();
        List<Long> edited = review.edited();
        Set<Long> anonymised = new HashSet<>(eligible);
        edited.forEach(anonymised::remove);
        assertThat(strings("select status from batch_job_execution e join batch_job_instance i"
                + " on i.job_instance_id = e.job_instance_id where i.job_name = 'importJob'"))
            .containsOnlyOnce("COMPLETED")
            .allMatch(status -> status.equals("COMPLETED") || status.equals(interrupted));
        assertThat(count("select count(*) from batch_job_instance where job_name = 'importJob'")).isOne();
        // The demo data holds one past import (of its already anonymised members); ours is the other one.
        String ours = " from anonymisation_import where export_id is not null";
        assertThat(strings("select status" + ours)).containsExactly("COMPLETED_WITH_ERRORS");
        long importId = count("select id" + ours);
        assertThat(count("select count(*) from anonymisation_ledger where import_id = " + importId))
            .isEqualTo(anonymised.size());
        assertThat(new HashSet<>(longs("select member_id from anonymisation_ledger where import_id = " + importId)))
            .isEqualTo(anonymised);
        Set<Long> nowAnonymised = new HashSet<>(longs("select id from member where status = 'ANONYMISED'"));
        nowAnonymised.removeAll(review.anonymisedBefore());
        assertThat(nowAnonymised).isEqualTo(anonymised);
        assertThat(count("select members_anonymised" + ours)).isEqualTo(anonymised.size());
        assertThat(count("select rows_read" + ours)).isEqualTo(eligible.size());
        assertThat(count("select rows_rejected" + ours)).isEqualTo(3);
        assertThat(strings("select member_id || ':' || code from anonymisation_import_rejection order by row_number"))
            .containsExactlyElementsOf(edited.stream().map(id -> id + ":CONTENT_MODIFIED").toList());
        assertThat(errorFileMemberIds()).containsExactlyElementsOf(edited);
        // Nothing else changed: the members outside the import, and every activity table, row for row.
        assertThat(snapshot(eligible, edited)).isEqualTo(review.before());
        assertThat(count("select count(*) from member_phone where member_id in (select member_id"
                + " from anonymisation_ledger)")).isZero();
        // The three rejected rows stay open for a corrected import: the export's file stays, and the manifest keeps
        // the values of those rows only (member ids of the others).
        try (Stream<Path> exports = Files.list(storage.resolve("exports"))) {
            assertThat(exports).hasSize(1);
        }
        assertThat(longs("select member_id from anonymisation_export_member where last_name is not null"
                + " or first_name is not null or fingerprint is not null order by member_id"))
            .containsExactlyElementsOf(edited.stream().sorted().toList());
        assertThat(count("select count(*) from anonymisation_export where resolved_at is null"
                + " and file_deleted_at is null")).isOne();
        assertThat(tempFiles()).isEmpty();
        // The open export's file still shows every exported row, canaries included; nothing else may.
        assertNoCanaryLeft(true);
    }

    /**
     * No canary in the tables, the storage dir (SXSSF files, partial zips; the export's own zip only when
     * {@code exportFileKept}), the children's logs, nor, once rewritten as the product does on close (shut down, then
     * {@code H2FileCompaction.removeDeadPages}: dead pages zeroed, or the uncompressed full copy; served by a TCP server, as
     * here, that is the operator's documented step), the database file's pages, free or live.
     */
    void assertNoCanaryLeft(boolean exportFileKept) throws Exception {
        PiiScan scan = new PiiScan(PiiCanaryTests.CANARIES, workDir);
        List<String> residue = new ArrayList<>(scan.files(storage).stream()
            .filter(finding -> !exportFileKept || !finding.startsWith("file exports" + File.separator))
            .toList());
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "")) {
            residue.addAll(scan.tables(connection));
        }
        try (Stream<Path> logs = Files.list(workDir)) {
            for (Path log : logs.filter(path -> path.getFileName().toString().startsWith("child-")).toList()) {
                residue.addAll(scan.text(log.getFileName().toString(), Files.readString(log)));
            }
        }
        assertThat(residue).isEmpty();
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        }
        H2FileCompaction.removeDeadPages(workDir.resolve("db/anonymiser.mv.db").toString());
        assertThat(scan.files(workDir.resolve("db"))).isEmpty();
    }

    /**
     * Issue 13's correction loop under SIGKILL: the first import rejects the three edited rows, the admin restores
     * them (the exported file re-saved unchanged) and imports again; that second import is killed mid-way and the
     * same command relaunched. It completes to the outcome of an uninterrupted run: the three members anonymised by
     * it, every other row reported ALREADY_ANONYMISED exactly once, each exported member once in the ledger, the export
     * resolved (file deleted, manifest erased, no canary anywhere); the same command once more starts a new import
     * (the next attempt), refused EXPORT_ALREADY_IMPORTED.
     */
    @Test
    void aKilledSecondImportOfTheCorrectedFileRestartsToTheSameOutcome() throws Exception {
        Set<Long> eligible = seed(2000);
        completes(exportCommand());
        Review review = exported(2000, eligible);
        completes(importCommand(review));
        assertImported(review, "none");
        Path restored = workDir.resolve("restored.xlsx");
        try (Stream<Path> exports = Files.list(storage.resolve("exports"));
                ZipInputStream in = new ZipInputStream(Files.newInputStream(exports.findFirst().orElseThrow()))) {
            in.getNextEntry();
            try (XSSFWorkbook workbook = new XSSFWorkbook(in); OutputStream out = Files.newOutputStream(restored)) {
                workbook.write(out);
            }
        }
        String[] second = { "--spring.batch.job.name=importJob", "file=" + restored, "requestedBy=admin.multi" };
        Map<String, List<String>> beforeSecond = snapshot(eligible, List.of());

        // Chunks of 10 rows: the kill lands well inside the step, after some committed chunks of mostly already
        // anonymised rows (fast).
        killAtRow(second, "importAnonymiseStep", 11 + random.nextInt(30), "--anonymiser.import.chunk-size=10");
        completes(second);

        Set<Long> edited = new HashSet<>(review.edited());
        assertThat(strings("select e.status from batch_job_execution e join batch_job_instance i"
                + " on i.job_instance_id = e.job_instance_id where i.job_name = 'importJob'"
                + " order by e.job_execution_id"))
            .containsExactly("COMPLETED", "FAILED", "COMPLETED");
        String ours = " from anonymisation_import where export_id is not null";
        assertThat(strings("select status" + ours + " order by id")).containsExactly("COMPLETED_WITH_ERRORS",
                "COMPLETED");
        long secondImport = count("select max(id)" + ours);
        String record = " from anonymisation_import where id = " + secondImport;
        assertThat(count("select rows_read" + record)).isEqualTo(eligible.size());
        assertThat(count("select members_anonymised" + record)).isEqualTo(3);
        assertThat(count("select rows_already_anonymised" + record)).isEqualTo(eligible.size() - 3);
        assertThat(count("select rows_rejected" + record)).isZero();
        assertThat(new HashSet<>(longs("select member_id from anonymisation_ledger where import_id = " + secondImport)))
            .isEqualTo(edited);
        assertThat(count("select count(*) from anonymisation_import_rejection where import_id = " + secondImport
                + " and code = 'ALREADY_ANONYMISED'")).isEqualTo(eligible.size() - 3);
        assertThat(count("select count(*) from anonymisation_import_rejection where import_id = " + secondImport))
            .isEqualTo(eligible.size() - 3);
        // Each exported member exactly once in the ledger, and nothing else changed since the first import.
        String eligibleIds = eligible.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow();
        assertThat(count("select count(*) from anonymisation_ledger where member_id in (" + eligibleIds + ")"))
            .isEqualTo(eligible.size());
        assertThat(count("select count(distinct member_id) from anonymisation_ledger where member_id in ("
                + eligibleIds + ")")).isEqualTo(eligible.size());
        Set<Long> nowAnonymised = new HashSet<>(longs("select id from member where status = 'ANONYMISED'"));
        nowAnonymised.removeAll(review.anonymisedBefore());
        assertThat(nowAnonymised).isEqualTo(eligible);
        assertThat(snapshot(eligible, List.of())).isEqualTo(beforeSecond);
        // Resolved: the file is gone, the manifest keeps member ids only; the second import has no error file.
        try (Stream<Path> exports = Files.list(storage.resolve("exports"))) {
            assertThat(exports).isEmpty();
        }
        assertThat(count("select count(*) from anonymisation_export_member where last_name is not null"
                + " or first_name is not null or fingerprint is not null")).isZero();
        assertThat(count("select count(*) from anonymisation_export where resolved_at is not null")).isOne();
        assertThat(errorFileMemberIds()).containsExactlyElementsOf(review.edited());
        assertThat(tempFiles()).isEmpty();
        assertNoCanaryLeft(false);

        Process third = launch(second);
        assertThat(third.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(third.exitValue()).isOne();
        // Refused at the gate, before the record is tied to the export: the newest import record.
        assertThat(strings("select failure_code from anonymisation_import where id = (select max(id)"
                + " from anonymisation_import)")).containsExactly("EXPORT_ALREADY_IMPORTED");
        assertThat(count("select count(*) from batch_job_instance where job_name = 'importJob'")).isEqualTo(3);
        assertThat(count("select count(*) from anonymisation_ledger")).isEqualTo(count(
                "select count(*) from member where status = 'ANONYMISED'"));
        killLog.add("second import killed and relaunched; a third launch of the same file refused");
        System.out.println(String.join("\n", killLog));
    }

    /**
     * Launches the command and SIGKILLs it at the {@code row}-th row its step reads in this run: the child pauses there
     * ({@link CrashPoints}), inside the chunk's transaction (or the workbook's render), so it is alive at the kill
     * point by construction. Rows read in this run, not in all: a relaunch resumes after what earlier runs committed.
     */
    void killAtRow(String[] command, String step, int row, String... overrides) throws Exception {
        killAt(command, "--anonymiser.test.pause-at=" + step + ":" + row, step, "at row %d".formatted(row),
                overrides);
    }

    /**
     * Launches the command (two databases) and SIGKILLs it at the {@code chunk}-th chunk commit of its step in this
     * run, between the metadata database's commit and the product database's, in the given order
     * ({@code metadata-first}, the application's, or {@code product-first}; see {@link CrashPoints}).
     */
    void killBetweenCommits(String[] command, String step, int chunk, String order) throws Exception {
        killAt(command, "--anonymiser.test.pause-between-commits=" + step + ":" + chunk + ":" + order, step,
                "between the commits (%s) of chunk %d of this run".formatted(order, chunk));
    }

    private void killAt(String[] command, String pausePoint, String step, String where, String... overrides)
            throws Exception {
        Path paused = workDir.resolve("paused-" + System.nanoTime());
        List<String> arguments = new ArrayList<>(List.of(overrides));
        arguments.add(pausePoint);
        arguments.add("--anonymiser.test.paused-marker=" + paused);
        Process process = launch(command, arguments.toArray(String[]::new));
        awaitPaused(process, paused, step + " " + where);
        assertThat(process.isAlive()).as("alive at the kill point of %s", step).isTrue();
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        killsTried++;
        killLog.add("killed in %s %s (step committed %d chunks in all)".formatted(step, where, stepCommits(step)));
        awaitLease();
    }

    /** Waits (bounded) until the child writes its pause marker; fails if it exits first. */
    void awaitPaused(Process process, Path marker, String point) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(marker) && process.isAlive() && System.nanoTime() < deadline) {
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
        assertThat(Files.exists(marker)).as("the child paused at %s before it exited (exit %s); log %s", point,
                process.isAlive() ? "none" : process.exitValue(), killLog).isTrue();
    }

    /** Waits until the step, run by an execution above {@code lastExecution}, has committed {@code commits} in all. */
    void awaitCommits(Process process, String step, long lastExecution, long commits) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        boolean reached = false;
        while (!reached && process.isAlive() && System.nanoTime() < deadline) {
            reached = runningStepCommits(step, lastExecution) >= commits;
            if (!reached) {
                process.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
        assertThat(reached).as("%s reached %d commits before the child exited (exit %s); log %s", step,
                commits, process.isAlive() ? "none" : process.exitValue(), killLog).isTrue();
    }

    void completes(String[] command) throws Exception {
        Process process = launch(command);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("exit code of the final run; log in %s", workDir).isZero();
    }

    /** Waits (bounded) until the dead execution's last heartbeat is older than the lease. */
    void awaitLease() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<String> beats = strings("select max(beat_at) from job_heartbeat");
            LocalDateTime last = beats.get(0) == null ? null : LocalDateTime.parse(beats.get(0).replace(' ', 'T'));
            if (last == null || last.plus(LEASE).plus(Duration.ofMillis(200)).isBefore(LocalDateTime.now())) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new IllegalStateException("The dead execution's heartbeat did not age past the lease");
    }

    Process launch(String[] jobArguments, String... overrides) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path")));
        if (twoDatabases) {
            command.add("-D" + LEGACY_SEQUENCE + "=true");
        }
        command.add(AnonymiserApplication.class.getName());
        // An option given twice would bind as "a,b": an override replaces the default of the same name.
        for (String argument : arguments(jobArguments)) {
            String name = argument.split("=", 2)[0];
            if (Stream.of(overrides).noneMatch(override -> override.startsWith(name + "="))) {
                command.add(argument);
            }
        }
        command.addAll(List.of(overrides));
        Path log = workDir.resolve("child-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .directory(workDir.toFile())
            .start();
        childLogs.put(process, log);
        return process;
    }

    String[] arguments(String... jobArguments) {
        List<String> arguments = new ArrayList<>(List.of(jobArguments));
        if (twoDatabases) {
            // As Data Flow launches a bootVersion=3 task: its own database as spring.datasource.*.
            arguments.addAll(List.of("--spring.datasource.url=" + metadataUrl, "--spring.datasource.username=sa",
                    "--spring.datasource.password=", "--spring.cloud.task.initialize-enabled=false",
                    "--spring.batch.jdbc.table-prefix=BOOT3_BATCH_", "--spring.cloud.task.tablePrefix=BOOT3_TASK_",
                    "--anonymiser.datasource.url=" + databaseUrl, "--anonymiser.datasource.username=sa"));
        }
        else {
            arguments.add("--spring.datasource.url=" + databaseUrl);
        }
        arguments.add("--anonymiser.storage-dir=" + storage);
        arguments.add("--anonymiser.recovery.lease=" + LEASE.toSeconds() + "s");
        arguments.add("--anonymiser.recovery.heartbeat=500ms");
        arguments.add("--anonymiser.export.chunk-size=50");
        arguments.add("--anonymiser.import.chunk-size=50");
        arguments.add("--logging.level.root=WARN");
        return arguments.toArray(String[]::new);
    }

    long stepCommits(String step) throws SQLException {
        return count("select coalesce(sum(commit_count), 0) from batch_step_execution where step_name = '" + step
                + "'");
    }

    /** The step's commits in all, once this launch's execution (id above {@code lastExecution}) runs it; else -1. */
    long runningStepCommits(String step, long lastExecution) {
        try {
            List<String> running = strings("select count(*) from batch_step_execution where step_name = '" + step
                    + "' and status = 'STARTED' and job_execution_id > " + lastExecution);
            return running.isEmpty() || running.get(0).equals("0") ? -1 : stepCommits(step);
        }
        catch (SQLException ex) {
            // The child is still migrating or creating the Batch tables.
            return -1;
        }
    }

    /** The children's log lines holding {@code text}. */
    List<String> childLogLines(String text) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> logs = Files.list(workDir)) {
            for (Path log : logs.filter(path -> path.getFileName().toString().startsWith("child-")).toList()) {
                Files.readAllLines(log).stream().filter(line -> line.contains(text)).forEach(lines::add);
            }
        }
        return lines;
    }

    Path childLog(Process process) {
        return childLogs.get(process);
    }

    List<Path> tempFiles() throws IOException {
        Path tmp = storage.resolve("tmp");
        if (!Files.exists(tmp)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.walk(tmp)) {
            return entries.filter(path -> !path.equals(tmp)).toList();
        }
    }

    List<Long> errorFileMemberIds() throws IOException {
        try (Stream<Path> files = Files.list(storage.resolve("errors"))) {
            List<Path> errorFiles = files.toList();
            assertThat(errorFiles).hasSize(1);
            try (InputStream in = Files.newInputStream(errorFiles.get(0)); XSSFWorkbook workbook = new XSSFWorkbook(in)) {
                Sheet sheet = workbook.getSheet("Rejected rows");
                List<Long> ids = new ArrayList<>();
                for (int i = 1; i <= sheet.getLastRowNum(); i++) {
                    ids.add((long) sheet.getRow(i).getCell(1).getNumericCellValue());
                }
                return ids;
            }
        }
    }

    /** Every row of the member tables outside the import, and every row of the activity tables, as text. */
    Map<String, List<String>> snapshot(Set<Long> eligible, List<Long> edited) throws SQLException {
        Set<Long> touched = new HashSet<>(eligible);
        edited.forEach(touched::remove);
        Map<String, List<String>> tables = new TreeMap<>();
        String notTouched = touched.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("-1");
        for (String[] table : new String[][] { { "member", "id" }, { "member_address", "member_id" },
                { "member_phone", "member_id" }, { "member_consent", "member_id" }, { "member_account", "member_id" },
                { "badge", "member_id" } }) {
            tables.put(table[0], rows("select * from " + table[0] + " where " + table[1] + " not in (" + notTouched
                    + ") order by 1, 2"));
        }
        for (String table : List.of("visit", "booking", "purchase", "instalment", "invoice", "club", "app_user")) {
            tables.put(table, rows("select * from " + table + " order by 1"));
        }
        return tables;
    }

    List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "");
                Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    row.append(rs.getString(c)).append('|');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    long count(String sql) throws SQLException {
        return Long.parseLong(strings(sql).get(0));
    }

    List<Long> longs(String sql) throws SQLException {
        return strings(sql).stream().map(Long::valueOf).toList();
    }

    List<String> strings(String sql, String url) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** The job repository's and the task's tables, as this test names them (default prefixes). */
    static final Pattern METADATA_TABLE = Pattern.compile("\\b(batch_\\w+|task_execution)\\b");

    /**
     * The first column of a query's rows, from the database that holds its tables: a query of the job repository's or
     * the task's tables runs on the metadata database, with Data Flow's prefixes in two-database mode.
     */
    List<String> strings(String sql) throws SQLException {
        boolean metadata = METADATA_TABLE.matcher(sql).find();
        String query = metadata && twoDatabases
                ? METADATA_TABLE.matcher(sql).replaceAll(table -> "BOOT3_" + table.group(1).toUpperCase(Locale.ROOT))
                : sql;
        return strings(query, metadata ? metadataUrl : databaseUrl);
    }
}
