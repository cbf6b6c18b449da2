package org.clubanonymiser.importing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.util.TempFile;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.assertj.core.api.SoftAssertions;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.support.workbook.MembersSheet;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;
import org.clubanonymiser.testsupport.Rows;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The bad-input corpus of issue 5: hostile and broken files, each generated here, each imported by a real
 * {@code importJob} run, each asserting the outcome docs/reference.md documents for it (a file refusal code, or the row
 * rejection code of every row) and, for every file: no member changed in any member table, an empty ledger, nothing
 * left in the storage temp dir, no request reaching the loopback HTTP server the external-entity files point at.
 * <p>
 * Runs only in the {@code import-corpus} surefire execution (see this module's pom), a JVM limited to 256 MB of heap:
 * an out-of-memory error fails the case it happens in. Time is bounded by a hang guard per file (a ceiling that only a
 * hang can reach, not a speed target); the measured figures go to {@code target/import-corpus.txt}. The member tables
 * are small, the files are what is large: the 1,048,575-row sheet is written streaming, once per run.
 */
@EnabledIfSystemProperty(named = "import.corpus.execution", matches = "true",
        disabledReason = "runs in the import-corpus surefire execution (-Xmx256m) only")
class ImportBadInputCorpusJobFunctionalTests {

    private static final Logger log = LoggerFactory.getLogger(ImportBadInputCorpusJobFunctionalTests.class);

    /** A hang detector, not a speed target: every file takes a few seconds at most. */
    static final Duration HANG_GUARD = Duration.ofSeconds(60);

    /** The 1,048,575-row sheet is read twice (gate and rows): a larger ceiling, still only a hang detector. */
    static final Duration BIG_HANG_GUARD = Duration.ofSeconds(300);

    /** Smaller than the 2 GB default so that the absolute-size bomb is cheap to make; the guard is the same code. */
    static final long MAX_ENTRY_BYTES = 128L * 1024 * 1024;

    static final long MAX_HEAP = 256L * 1024 * 1024;

    /** What docs/reference.md says happens to a file. */
    sealed interface Outcome permits Refused, RowsRejected {
    }

    /** A file-level refusal: the job FAILED with {@code REFUSED:<code>} before any member is touched. */
    record Refused(ImportRefusal code) implements Outcome {

        @Override
        public String toString() {
            return code.name();
        }
    }

    /** The file is accepted and every data row is rejected with these codes (none: no data row at all). */
    record RowsRejected(List<RowCode> rows) implements Outcome {

        @Override
        public String toString() {
            return rows.isEmpty() ? "COMPLETED, no row" : "rows " + rows;
        }
    }

    record RowCode(long row, RowRejection code) {

        @Override
        public String toString() {
            return row + ":" + code;
        }
    }

    @FunctionalInterface
    interface FileMaker {

        Path make(Corpus corpus) throws Exception;
    }

    /** One file of the corpus: what it is, how it is made (seeding what it needs), what must happen. */
    record BadFile(String name, FileMaker maker, Outcome expected, boolean big) {

        @Override
        public String toString() {
            return name + " → " + expected;
        }
    }

    static BadFile file(String name, Outcome expected, FileMaker maker) {
        return new BadFile(name, maker, expected, false);
    }

    static Refused refused(ImportRefusal code) {
        return new Refused(code);
    }

    static RowsRejected rows(Object... rowsAndCodes) {
        List<RowCode> rows = new ArrayList<>();
        for (int i = 0; i < rowsAndCodes.length; i += 2) {
            rows.add(new RowCode(((Number) rowsAndCodes[i]).longValue(), (RowRejection) rowsAndCodes[i + 1]));
        }
        return new RowsRejected(rows);
    }

    /** Excel's last row is 1,048,576: the header and 1,048,575 data rows. */
    static final int EXCEL_ROWS = 1_048_576;

    static List<BadFile> corpus() {
        return List.of(
                file("CSV renamed .xlsx", refused(ImportRefusal.NOT_XLSX), c -> c.bad.csvRenamed()),
                file("genuine workbook under a .xls name", refused(ImportRefusal.NOT_XLSX),
                        c -> c.bad.withExtension(c.reviewed(), "xls")),
                file("UTF-16 text renamed .xlsx", refused(ImportRefusal.NOT_XLSX), c -> c.files.utf16Text()),
                file("XLS (BIFF8) renamed .xlsx", refused(ImportRefusal.NOT_XLSX), c -> c.bad.xls()),
                file("ODS renamed .xlsx", refused(ImportRefusal.NOT_XLSX), c -> c.files.ods()),
                file("password-encrypted .xlsx (agile)", refused(ImportRefusal.NOT_XLSX),
                        c -> c.bad.encrypted(c.reviewed())),
                file("0-byte file", refused(ImportRefusal.NOT_XLSX), c -> c.bad.empty()),
                file("zip truncated at 50%", refused(ImportRefusal.NOT_XLSX),
                        c -> c.files.truncated(c.reviewed(), 50)),
                file("zip truncated at 99%", refused(ImportRefusal.NOT_XLSX),
                        c -> c.files.truncated(c.reviewed(), 99)),
                file("sheet XML corrupt mid-file", refused(ImportRefusal.NOT_XLSX),
                        c -> c.files.corruptSheetMidFile(c.reviewed())),
                file("sheet XML corrupt after 300 rows (past the reader's row cache)",
                        refused(ImportRefusal.NOT_XLSX), c -> c.files.corruptSheetAfterRow(
                                c.reviewed(MembersSheetEditor.edit(sheet -> {
                                    for (int i = 0; i < 300; i++) {
                                        sheet.appendCopyOf(106);
                                    }
                                })), 300)),
                file("zip bomb by ratio (20 MB of zeros)", refused(ImportRefusal.UNSAFE_FILE),
                        c -> c.bad.zipBomb(c.reviewed())),
                file("zip bomb by absolute size (part over max-entry-size, ratio ~30)",
                        refused(ImportRefusal.UNSAFE_FILE),
                        c -> c.files.absoluteSizeBomb(c.reviewed(), MAX_ENTRY_BYTES + 1024 * 1024)),
                file("billion laughs in the shared strings", refused(ImportRefusal.UNSAFE_FILE),
                        c -> c.files.billionLaughs(c.reviewed())),
                file("XXE: external entity reading a local file", refused(ImportRefusal.UNSAFE_FILE),
                        c -> c.bad.externalEntity(c.reviewed(), c.secretFile().toUri().toString())),
                file("XXE: external entity over loopback HTTP", refused(ImportRefusal.UNSAFE_FILE),
                        c -> c.bad.externalEntity(c.reviewed(), c.loopbackUrl("entity"))),
                file("XXE: external DTD over loopback HTTP in docProps/custom.xml",
                        refused(ImportRefusal.UNSAFE_FILE),
                        c -> c.files.externalDtd(c.reviewed(), c.loopbackUrl("dtd"))),
                file("duplicate zip entries (two sheet1.xml)", refused(ImportRefusal.UNSAFE_FILE),
                        c -> c.files.duplicateEntries(c.reviewed())),
                file("2,000 zip entries", refused(ImportRefusal.UNSAFE_FILE),
                        c -> c.bad.tooManyEntries(c.reviewed(), 2000)),
                file("header removed (column H)", refused(ImportRefusal.LAYOUT_CHANGED),
                        c -> c.reviewed(workbook -> header(workbook).removeCell(header(workbook).getCell(7)))),
                file("header renamed", refused(ImportRefusal.LAYOUT_CHANGED),
                        c -> c.reviewed(workbook -> header(workbook).getCell(2).setCellValue("Surname"))),
                file("headers reordered", refused(ImportRefusal.LAYOUT_CHANGED), c -> c.reviewed(workbook -> {
                    header(workbook).getCell(2).setCellValue("First name");
                    header(workbook).getCell(3).setCellValue("Last name");
                })),
                file("header row deleted", refused(ImportRefusal.LAYOUT_CHANGED),
                        c -> c.reviewed(workbook -> workbook.getSheetAt(0).removeRow(header(workbook)))),
                file("identity removed (hidden sheet and document properties)", refused(ImportRefusal.UNKNOWN_EXPORT),
                        c -> c.reviewed(workbook -> {
                            workbook.getProperties().getCustomProperties().getUnderlyingProperties()
                                .setPropertyArray(null);
                            workbook.removeSheetAt(1);
                        })),
                file("identity sheet edited to an unknown export, properties removed",
                        refused(ImportRefusal.UNKNOWN_EXPORT), c -> c.reviewed(workbook -> {
                            workbook.getProperties().getCustomProperties().getUnderlyingProperties()
                                .setPropertyArray(null);
                            for (Row row : workbook.getSheet(MembersSheet.IDENTITY_SHEET_NAME)) {
                                if (row.getCell(0).getStringCellValue().equals("anonymiser.exportId")) {
                                    row.getCell(1).setCellValue("424242");
                                }
                            }
                        })),
                file("identity edited (as-of date moved a year back)", refused(ImportRefusal.UNKNOWN_EXPORT),
                        c -> c.reviewed(ImportJobFunctionalTests.Scenarios.identity("anonymiser.asOf",
                                ExportFixtures.AS_OF.minusYears(1).toString()))),
                file("identity of another export of the same club", rows(2, RowRejection.NOT_IN_EXPORT, 3,
                        RowRejection.NOT_IN_EXPORT, 4, RowRejection.NOT_IN_EXPORT), c -> {
                            ExportFixtures.Export a = c.fixtures.export(1, List.of(101L, 102L, 103L));
                            ExportFixtures.Export b = c.fixtures.export(1, List.of(104L, 105L, 106L));
                            Consumer<XSSFWorkbook> swap = workbook -> {
                            };
                            for (var entry : b.identity().toProperties().entrySet()) {
                                swap = swap.andThen(ImportJobFunctionalTests.Scenarios.identity(entry.getKey(),
                                        entry.getValue()));
                            }
                            return c.fixtures.resaveWithPoi(a.workbook(), swap);
                        }),
                file("export of a club the user may not act on", refused(ImportRefusal.FOREIGN_CLUB),
                        c -> c.fixtures.resaveWithPoi(c.fixtures.export(2, List.of(201L, 202L, 203L)).workbook())),
                file("identity of another club's export pasted into this club's file",
                        refused(ImportRefusal.FOREIGN_CLUB), c -> {
                            ExportFixtures.Export foreign = c.fixtures.export(2, List.of(201L, 202L, 203L));
                            Consumer<XSSFWorkbook> swap = workbook -> {
                            };
                            for (var entry : foreign.identity().toProperties().entrySet()) {
                                swap = swap.andThen(ImportJobFunctionalTests.Scenarios.identity(entry.getKey(),
                                        entry.getValue()));
                            }
                            return c.reviewed(swap);
                        }),
                file("byte-identical to the export (not re-saved)", refused(ImportRefusal.NOT_RESAVED),
                        c -> c.fixtures.export(1, Corpus.EXPORTED).workbook()),
                file("formula cells in the id columns, cached values genuine", rows(2, RowRejection.CONTENT_MODIFIED,
                        3, RowRejection.CONTENT_MODIFIED, 4, RowRejection.CONTENT_MODIFIED), c -> c.reviewed(
                                MembersSheetEditor.edit(sheet -> sheet.delete(104).delete(105).delete(106))
                                    .andThen(workbook -> {
                                        Sheet members = workbook.getSheetAt(0);
                                        formula(members.getRow(1).getCell(0), "100+1", 101);
                                        formula(members.getRow(2).getCell(1), "\"M\"&\"102\"", "M102");
                                        // Excel recalculates on opening: the admin saw 999, the cache says 103.
                                        formula(members.getRow(3).getCell(0), "999", 103);
                                    }))),
                file("numbers stored as text and text stored as numbers", rows(2, RowRejection.CONTENT_MODIFIED, 3,
                        RowRejection.ID_NUMBER_MISMATCH, 4, RowRejection.ID_NUMBER_MISMATCH), c -> {
                            c.jdbc.update("update member set member_number = '000' || id where id in (105, 106)");
                            return c.reviewed(MembersSheetEditor.edit(sheet -> sheet.delete(101).delete(102)
                                .delete(103)
                                .set(104, MembersSheet.COL_LAST_ACTIVITY, "31/12/2019")
                                .set(105, MembersSheet.COL_MEMBER_NUMBER, 105.0)
                                .set(106, MembersSheet.COL_MEMBER_NUMBER, 106.0)
                                .set(106, MembersSheet.COL_MEMBER_ID, "106")));
                        }),
                file("16-digit ids (as numbers and as text)", rows(2, RowRejection.UNKNOWN_MEMBER, 3,
                        RowRejection.UNKNOWN_MEMBER, 4, RowRejection.UNKNOWN_MEMBER, 5, RowRejection.UNKNOWN_MEMBER),
                        c -> c.reviewed(MembersSheetEditor.edit(sheet -> sheet.delete(105).delete(106)
                            .set(101, MembersSheet.COL_MEMBER_ID, 1234567890123456.0)
                            .set(102, MembersSheet.COL_MEMBER_ID, "9999999999999999")
                            .set(103, MembersSheet.COL_MEMBER_ID, 9999999999999999.0)
                            .set(104, MembersSheet.COL_MEMBER_ID, "12345678901234567890")))),
                file("1904 date system switched on (dates shift by 4 years)", rows(2, RowRejection.CONTENT_MODIFIED,
                        3, RowRejection.CONTENT_MODIFIED, 4, RowRejection.CONTENT_MODIFIED, 5,
                        RowRejection.CONTENT_MODIFIED, 6, RowRejection.CONTENT_MODIFIED, 7,
                        RowRejection.CONTENT_MODIFIED), c -> c.reviewed(workbook -> {
                            var ct = workbook.getCTWorkbook();
                            (ct.isSetWorkbookPr() ? ct.getWorkbookPr() : ct.addNewWorkbookPr()).setDate1904(true);
                        })),
                file("32,767-character cells", rows(2, RowRejection.CONTENT_MODIFIED, 3,
                        RowRejection.ID_NUMBER_MISMATCH, 4, RowRejection.UNKNOWN_MEMBER),
                        c -> c.reviewed(MembersSheetEditor.edit(sheet -> sheet.delete(104).delete(105).delete(106)
                            .set(101, MembersSheet.COL_LAST_NAME, "x".repeat(32_767))
                            .set(102, MembersSheet.COL_MEMBER_NUMBER, "M".repeat(32_767))
                            .set(103, MembersSheet.COL_MEMBER_ID, "1".repeat(32_767))))),
                file("control characters in cells", rows(2, RowRejection.CONTENT_MODIFIED, 3,
                        RowRejection.ID_NUMBER_MISMATCH, 4, RowRejection.UNKNOWN_MEMBER, 5,
                        RowRejection.CONTENT_MODIFIED), c -> c.reviewed(MembersSheetEditor.edit(sheet -> sheet
                            .delete(105).delete(106)
                            .set(101, MembersSheet.COL_LAST_NAME, "Last101\u0007")
                            .set(102, MembersSheet.COL_MEMBER_NUMBER, "M102\u0000")
                            .set(103, MembersSheet.COL_MEMBER_ID, "\u001b103")
                            .set(104, MembersSheet.COL_FIRST_NAME, "First104\r\n\u0008")))),
                // Hiding is no decision the import can read: the whole file is refused, whatever the hidden rows hold.
                file("hidden rows (edited, added by hand, other club)", refused(ImportRefusal.HIDDEN_ROWS), c -> c.reviewed(
                                MembersSheetEditor.edit(sheet -> {
                                    Object[] added = sheet.row(101).clone();
                                    added[0] = 107.0;
                                    added[1] = "M107";
                                    Object[] otherClub = sheet.row(101).clone();
                                    otherClub[0] = 201.0;
                                    otherClub[1] = "M201";
                                    sheet.delete(102).delete(103).delete(104).delete(105).delete(106)
                                        .set(101, MembersSheet.COL_FIRST_NAME, "Someone")
                                        .append(added)
                                        .append(otherClub);
                                }).andThen(workbook -> {
                                    for (int r = 1; r <= 3; r++) {
                                        workbook.getSheetAt(0).getRow(r).setZeroHeight(true);
                                    }
                                }))),
                file("data on a second sheet, Members left with its header", rows(), c -> c.reviewed(workbook -> {
                    Sheet members = workbook.getSheetAt(0);
                    Sheet second = workbook.createSheet("Members (2)");
                    for (Row row : members) {
                        Row copy = second.createRow(row.getRowNum());
                        for (Cell cell : row) {
                            copy.createCell(cell.getColumnIndex()).setCellValue(cell.toString());
                        }
                    }
                    for (int r = members.getLastRowNum(); r > 0; r--) {
                        members.removeRow(members.getRow(r));
                    }
                })),
                file("another sheet moved before Members", refused(ImportRefusal.LAYOUT_CHANGED),
                        c -> c.reviewed(workbook -> {
                            workbook.createSheet("Notes").createRow(0).createCell(0).setCellValue("reviewed");
                            workbook.setSheetOrder("Notes", 0);
                            workbook.setActiveSheet(0);
                            workbook.setSelectedTab(0);
                        })),
                new BadFile("a sheet of 1,048,575 rows (blank-styled, the last one added by hand)",
                        c -> c.files.filledSheet(c.reviewed(), EXCEL_ROWS - 2, new Object[] { 107, "M107",
                                "Last107", "First107", "FORMER_CLIENT", null, "VISIT", 72 }),
                        rows(EXCEL_ROWS, RowRejection.NOT_IN_EXPORT), true));
    }

    /**
     * The files also run on PostgreSQL and on the Oracle leg: a cheap subset, where the database matters (text
     * stored, row rejections). The rest of the corpus is about reading files, the same code on every database.
     */
    static final Set<String> DATABASE_SUBSET = Set.of("CSV renamed .xlsx", "zip truncated at 99%",
            "sheet XML corrupt mid-file", "XXE: external entity over loopback HTTP",
            "export of a club the user may not act on", "formula cells in the id columns, cached values genuine",
            "32,767-character cells", "control characters in cells", "hidden rows (edited, added by hand, other club)");

    static Row header(XSSFWorkbook workbook) {
        return workbook.getSheetAt(0).getRow(0);
    }

    /** A formula cell with this cached result, as a spreadsheet application saves it. */
    static void formula(Cell cell, String formula, Object cached) {
        cell.setCellFormula(formula);
        if (cached instanceof Number number) {
            cell.setCellValue(number.doubleValue());
        }
        else {
            cell.setCellValue(cached.toString());
        }
    }

    @TestPropertySource(properties = { "anonymiser.import.chunk-size=5",
            "anonymiser.import.zip.max-entry-size=" + MAX_ENTRY_BYTES + "B" })
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Corpus {

        /** The members of club 1 every case's main export lists; 107 is of club 1 too, never exported. */
        static final List<Long> EXPORTED = List.of(101L, 102L, 103L, 104L, 105L, 106L);

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

        ExportFixtures fixtures;

        BadFiles bad;

        CorpusFiles files;

        JobOperatorTestUtils launcher;

        HttpServer server;

        final AtomicInteger requests = new AtomicInteger();

        final List<String> figures = new ArrayList<>();

        abstract Stream<BadFile> files();

        abstract String database();

        @BeforeAll
        void startLoopbackServer() throws IOException {
            assertThat(Runtime.getRuntime().maxMemory()).as("the corpus must run with -Xmx256m")
                .isLessThanOrEqualTo(MAX_HEAP);
            // The temp-file check below means something only if POI's temp files do land in the storage temp dir.
            Path probe = TempFile.createTempFile("corpus-probe", ".tmp").toPath();
            assertThat(probe.toAbsolutePath().normalize())
                .startsWith(storage.root().resolve("tmp").toAbsolutePath().normalize());
            Files.delete(probe);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                requests.incrementAndGet();
                byte[] body = "<!ENTITY leak SYSTEM \"file:///etc/hostname\">".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        @AfterAll
        void stopLoopbackServerAndWriteFigures() throws IOException {
            server.stop(0);
            Path report = Path.of("target", "import-corpus-" + database() + ".txt");
            Files.write(report, figures);
        }

        /** The members, once per class: no file may change them, and every case checks that none did. */
        @BeforeAll
        void seedMembers() {
            ExportFixtures seeding = new ExportFixtures(jdbc, storage, null);
            seeding.clean();
            seeding.standardClubs();
            for (long id = 101; id <= 107; id++) {
                seeding.eligibleMember(id, 1);
            }
            for (long id = 201; id <= 203; id++) {
                seeding.eligibleMember(id, 2);
            }
        }

        @BeforeEach
        void forgetExportsAndImports() {
            for (String table : List.of("anonymisation_import_claim", "anonymisation_import_rejection",
                    "anonymisation_ledger", "anonymisation_import", "anonymisation_export_member",
                    "anonymisation_export")) {
                jdbc.update("delete from " + table);
            }
            // The one case that renumbers members (numbers stored as text) must not leak into the next.
            jdbc.update("update member set member_number = concat('M', cast(id as varchar(20)))");
            fixtures = new ExportFixtures(jdbc, storage, work);
            bad = new BadFiles(work);
            files = new CorpusFiles(work);
            launcher = new JobOperatorTestUtils(jobOperator, jobRepository);
            launcher.setJob(importJob);
        }

        /** The main export (members 101 to 106 of club 1), re-saved by POI with this edit. */
        Path reviewed(Consumer<XSSFWorkbook> edit) {
            return fixtures.resaveWithPoi(fixtures.export(1, EXPORTED).workbook(), edit);
        }

        Path reviewed() {
            return reviewed(workbook -> {
            });
        }

        String loopbackUrl(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
        }

        Path secretFile() throws IOException {
            return Files.writeString(work.resolve("secret-" + System.nanoTime() + ".txt"), "SECRET-FROM-DISK");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("files")
        void touchesNoMember(BadFile bad) throws Exception {
            long making = System.nanoTime();
            Path file = bad.maker().make(this);
            long madeMillis = Duration.ofNanos(System.nanoTime() - making).toMillis();
            var before = MemberTables.all(jdbc);
            resetPeakHeap();
            long started = System.nanoTime();

            JobExecution execution = assertTimeoutPreemptively(bad.big() ? BIG_HANG_GUARD : HANG_GUARD,
                    () -> launcher.startJob(ImportJobParameters.of(file, ExportFixtures.ADMIN)),
                    () -> bad.name() + ": the import hangs");

            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            figures.add(String.format("%-75s | %-24s | import %6d ms | peak heap %4d MB | %10d bytes | made in %5d ms",
                    bad.name(), execution.getExitStatus().getExitCode(), millis, peakHeap() / (1024 * 1024),
                    Files.size(file), madeMillis));
            log.info("Corpus on {}: {} -> {} in {} ms", database(), bad.name(),
                    execution.getExitStatus().getExitCode(), millis);
            String description = execution.getExitStatus().getExitDescription();
            Long importId = jdbc.queryForObject("select max(id) from anonymisation_import", Long.class);
            // Soft: a file that breaks several promises at once shows them all.
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(MemberTables.all(jdbc)).as("member tables").isEqualTo(before);
            softly.assertThat(MemberTables.count(jdbc, "anonymisation_ledger")).as("ledger").isZero();
            softly.assertThat(leftoverTempFiles()).as("temp files left").isEmpty();
            softly.assertThat(requests).as("requests to the loopback server").hasValue(0);
            softly.assertThat(description).as("exit description").doesNotContainPattern("(First|Last)\\d|Someone|SECRET");
            softly.assertThat(importId).as("import record").isNotNull();
            if (bad.expected() instanceof Refused refused) {
                softly.assertThat(execution.getExitStatus().getExitCode()).as(description)
                    .isEqualTo(refused.code().exitCode());
                softly.assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
                softly.assertThat(description).startsWith(refused.code().message());
                softly.assertThat(execution.getStepExecutions()).extracting(StepExecution::getStepName)
                    .containsExactly("importFileGateStep");
                if (importId != null) {
                    softly.assertThat(Rows.map(jdbc,
                            "select status, failure_code from anonymisation_import where id = ?", importId))
                        .containsEntry("STATUS", "FAILED")
                        .containsEntry("FAILURE_CODE", refused.code().name());
                }
            }
            else {
                List<RowCode> expected = ((RowsRejected) bad.expected()).rows();
                softly.assertThat(execution.getExitStatus().getExitCode()).as(description)
                    .isEqualTo(expected.isEmpty() ? "COMPLETED" : "COMPLETED_WITH_ERRORS");
                softly.assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
                if (importId != null) {
                    softly.assertThat(jdbc.query("""
                            select row_number, code from anonymisation_import_rejection where import_id = ?
                            order by row_number""", (rs, n) -> new RowCode(rs.getLong(1),
                            RowRejection.valueOf(rs.getString(2))), importId)).containsExactlyElementsOf(expected);
                    softly.assertThat(Rows.map(jdbc, "select * from anonymisation_import where id = ?", importId))
                        .containsEntry("ROWS_READ", (long) expected.size())
                        .containsEntry("MEMBERS_ANONYMISED", 0L)
                        .containsEntry("ROWS_REJECTED", (long) expected.size());
                    softly.assertThat(errorFileCodes(importId)).containsExactlyElementsOf(
                            expected.stream().map(r -> r.code().name()).toList());
                }
            }
            softly.assertAll();
        }

        /** The codes the error file lists (none when there is no error file); no cell holds a fixture's name. */
        List<String> errorFileCodes(long importId) throws IOException {
            Path file = storage.errorsDir().resolve(ErrorFileTasklet.fileName(importId));
            if (!Files.exists(file)) {
                return List.of();
            }
            List<String> codes = new ArrayList<>();
            try (InputStream in = Files.newInputStream(file); XSSFWorkbook workbook = new XSSFWorkbook(in)) {
                for (Row row : workbook.getSheetAt(0)) {
                    for (Cell cell : row) {
                        assertThat(cell.toString()).doesNotContainPattern("(First|Last)\\d|Someone");
                    }
                    if (row.getRowNum() > 0) {
                        codes.add(row.getCell(3).getStringCellValue());
                    }
                }
            }
            return codes;
        }

        /** Files anywhere under the storage's temp root, but the process temp dir's own lock file. */
        List<Path> leftoverTempFiles() throws IOException {
            Path tmp = storage.root().resolve("tmp");
            if (!Files.exists(tmp)) {
                return List.of();
            }
            try (Stream<Path> all = Files.walk(tmp)) {
                return all.filter(Files::isRegularFile)
                    .filter(p -> !(p.getParent().equals(storage.tempDir()) && p.getFileName().toString()
                        .startsWith(".")))
                    .toList();
            }
        }

        static void resetPeakHeap() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    pool.resetPeakUsage();
                }
            }
        }

        /** Sum of the heap pools' peaks since the last reset: an upper bound of the heap used at any one time. */
        static long peakHeap() {
            return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Corpus {

        @Override
        Stream<BadFile> files() {
            // -Dimport.corpus.only=<part of a name>: one file while investigating it.
            String only = System.getProperty("import.corpus.only", "");
            return corpus().stream().filter(file -> file.name().contains(only));
        }

        @Override
        String database() {
            return "h2";
        }
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Corpus {

        @Override
        Stream<BadFile> files() {
            return corpus().stream().filter(file -> DATABASE_SUBSET.contains(file.name()));
        }

        @Override
        String database() {
            return "postgresql";
        }
    }

    @Nested
    @OracleModeDatabase
    class OnOracleMode extends Corpus {

        @Override
        Stream<BadFile> files() {
            return corpus().stream().filter(file -> DATABASE_SUBSET.contains(file.name()));
        }

        @Override
        String database() {
            return "oracle-mode";
        }
    }

    static {
        // Fail fast on a typo in the subset: every name must be a corpus file.
        List<String> names = corpus().stream().map(BadFile::name).toList();
        if (!names.containsAll(DATABASE_SUBSET) || Set.copyOf(names).size() != names.size()) {
            throw new IllegalStateException("corpus names: a subset typo or a duplicate name");
        }
    }
}
