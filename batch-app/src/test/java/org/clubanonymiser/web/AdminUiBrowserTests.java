package org.clubanonymiser.web;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.export.ExportPauseHook;
import org.clubanonymiser.importing.ImportPauseHook;
import org.clubanonymiser.metrics.EligibleMembersGauge;
import org.clubanonymiser.testsupport.RequiredTool;
import org.clubanonymiser.testsupport.TestDatabases;
import org.clubanonymiser.web.jobs.WebJobLauncher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin's loop in a real browser: headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * installed by {@code .ci/run}) driven by Selenium against the application in server mode on a random localhost
 * port, on the demo data. Log in, note the dashboard count, create an export and watch its progress bar move, download
 * it, re-save it with POI editing one row, drop it on the import page's drop zone and import it (completed with
 * errors), open the import's page (rejected rows per code, error file, the corrected import offered), see the export
 * list's counts (one row rejected, still open), import the corrected file from the import's page and watch its
 * progress, see the export list's counts (every row resolved) and the dashboard count drop. A screenshot of each page goes to
 * {@code target/screenshots/} (a build artifact).
 * <p>
 * Never by sleeping: a running export or import is held at a chosen chunk by a {@link StepPause} (its job's test
 * hook), so the page is seen at known points of the run; jobs are awaited on their completion futures; the page is
 * then expected to show the outcome through its own poll within a bounded wait (a wait for a condition, not a speed
 * assertion). Without {@code chromium} or {@code chromedriver} on the PATH the test fails, naming the packages
 * ({@code RequiredTool}).
 */
@SpringBootTest(classes = AnonymiserApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "anonymiser.mode=server", "server.address=127.0.0.1", "anonymiser.metrics.eligible-refresh=0",
                "logging.level.org.clubanonymiser=WARN", "anonymiser.export.chunk-size=" + AdminUiBrowserTests.EXPORT_CHUNK,
                "anonymiser.import.chunk-size=" + AdminUiBrowserTests.IMPORT_CHUNK })
@ContextConfiguration(initializers = TestDatabases.H2Initializer.class)
@Import(AdminUiBrowserTests.PausedJobs.class)
class AdminUiBrowserTests {

    /** Small chunks: the export and the import run several, so that they can be seen between two. */
    static final int EXPORT_CHUNK = 10;

    static final int IMPORT_CHUNK = 5;

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /** Generous: the page polls every second; this only bounds a broken page. */
    static final Duration PAGE_WAIT = Duration.ofSeconds(60);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobOperator jobOperator;

    @Autowired
    @Qualifier("demoDataJob")
    Job demoDataJob;

    @Autowired
    WebJobLauncher launcher;

    @Autowired
    EligibleMembersGauge gauge;

    @Autowired
    StepPause pause;

    WebDriver browser;

    Path downloads;

    @BeforeEach
    void browser() throws Exception {
        WebTestSupport.seedDemoOnce(jdbc, jobOperator, demoDataJob, 300);
        gauge.refresh();
        Files.createDirectories(SCREENSHOTS);
        downloads = Files.createTempDirectory(Files.createDirectories(Path.of("target", "browser-downloads")), "dl-")
            .toAbsolutePath();
        Map<String, Object> preferences = new HashMap<>();
        preferences.put("download.default_directory", downloads.toString());
        preferences.put("download.prompt_for_download", false);
        browser = headlessChromium(preferences);
    }

    /** Headless Chromium in English with these preferences, through the system's chromium-driver. */
    static ChromeDriver headlessChromium(Map<String, Object> preferences) {
        Path chromium = RequiredTool.CHROMIUM.require();
        Path chromedriver = RequiredTool.CHROMEDRIVER.require();
        // No Selenium Manager: it would try to download a driver; the system's chromium-driver is the one.
        System.setProperty("webdriver.chrome.driver", chromedriver.toString());
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile())
            .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--window-size=1280,1000", "--lang=en-GB");
        Map<String, Object> all = new HashMap<>(preferences);
        all.put("intl.accept_languages", "en-GB,en");
        options.setExperimentalOption("prefs", all);
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.toFile())
            .usingAnyFreePort()
            .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        // Elements of the next page are looked for until it has loaded (bounded; not a speed assertion).
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(20));
        return browser;
    }

    @AfterEach
    void closeBrowser() throws IOException {
        pause.reset();
        if (browser != null) {
            // The last page seen, for a failure's diagnosis (the success path has taken its own already).
            screenshot("99-last-page");
            browser.quit();
        }
    }

    @Test
    void theAdminsLoopInTheBrowserWithLiveProgressDragAndDropAndACorrectedImport() throws Exception {
        open("/exports");
        assertThat(browser.getCurrentUrl()).endsWith("/login");
        screenshot("01-login");
        browser.findElement(By.id("username")).sendKeys("admin.par01");
        browser.findElement(By.id("password")).sendKeys(WebTestSupport.PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        // Spring Security returns to the page asked for (with its "?continue" marker).
        await().until(d -> d.getCurrentUrl().contains("/exports"));

        open("/dashboard");
        long before = Long.parseLong(browser.findElement(By.cssSelector("#club-PAR-01 .count")).getText());
        assertThat(before).as("eligible demo members: the import needs 3 chunks or more").isGreaterThan(
                2L * IMPORT_CHUNK);
        screenshot("02-dashboard-before");

        // New export (name, club: the user's only one, 36 months by default), held before its first chunk.
        browser.findElement(By.id("nav-exports")).click();
        browser.findElement(By.id("export-name")).sendKeys("Browser export");
        assertThat(new Select(browser.findElement(By.id("export-months"))).getFirstSelectedOption()
            .getAttribute("value")).isEqualTo("36");
        pause.holdAt(1);
        browser.findElement(By.id("export-save")).click();
        assertThat(browser.findElement(By.id("notice")).getText()).startsWith("Export ");
        long exportId = jdbc.queryForObject("select max(id) from anonymisation_export", Long.class);
        pause.awaitHeld(PAGE_WAIT);
        WebElement running = browser.findElement(By.id("export-" + exportId));
        assertThat(running.getAttribute("data-status")).isEqualTo("RUNNING");
        assertThat(progressOf(By.id("export-" + exportId))).isZero();
        screenshot("03-export-started");
        // Held again two chunks on: the bar moves by the page's own poll of the JSON API (no reload).
        markPage();
        pause.releaseAndHoldAt(2);
        pause.awaitHeld(PAGE_WAIT);
        int midExport = await().until(d -> {
            int progress = progressOf(By.id("export-" + exportId));
            return progress > 0 ? progress : null;
        });
        assertThat(midExport).isBetween(1, 99)
            .isEqualTo(percent(jdbc.queryForObject(
                    "select members_scanned from anonymisation_export where id = ?", Long.class, exportId),
                    jdbc.queryForObject("select count(*) from member where club_id = ?", Long.class,
                            WebTestSupport.clubId(jdbc, "PAR-01"))));
        assertThat(pageIsMarked()).as("progress without reloading the page").isTrue();
        screenshot("04-export-progress");
        pause.release();
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_export", exportId);
        WebElement exportRow = await().until(d -> {
            WebElement row = d.findElement(By.id("export-" + exportId));
            return "COMPLETED".equals(row.getAttribute("data-status")) ? row : null;
        });
        assertThat(review(exportRow)).containsExactly(before, 0L, 0L, 0L, before);
        screenshot("05-export-completed");

        exportRow.findElement(By.cssSelector("a.download")).click();
        byte[] exported = WebTestSupport.workbookOf(Files.readAllBytes(awaitDownload(".zip")));
        byte[] edited = WebTestSupport.resave(exported, WebTestSupport::editFirstRow);

        // The edited file, dropped on the drop zone (a synthetic drop of a File made of its bytes), imported.
        browser.findElement(By.id("nav-imports")).click();
        drop("edited.xlsx", edited);
        assertThat(browser.findElement(By.id("drop-name")).getText()).isEqualTo("edited.xlsx");
        assertThat(((JavascriptExecutor) browser).executeScript(
                "var f = document.getElementById('import-file').files; return f.length + ':' + f[0].size;"))
            .isEqualTo("1:" + edited.length);
        screenshot("06-file-dropped");
        browser.findElement(By.id("import-reviewed")).click();
        // Held before its first chunk's write, then again before the second's.
        pause.holdAt(1);
        browser.findElement(By.id("import-submit")).click();
        assertThat(browser.findElement(By.id("notice")).getText()).startsWith("Import ");
        pause.awaitHeld(PAGE_WAIT);
        long firstId = jdbc.queryForObject("select max(id) from anonymisation_import", Long.class);
        assertThat(jdbc.queryForObject("select file_checksum from anonymisation_import where id = ?", String.class,
                firstId)).isEqualTo(sha256(edited));
        By firstRowId = By.id("import-" + firstId);
        assertThat(browser.findElement(firstRowId).getAttribute("data-status")).isEqualTo("RUNNING");
        assertThat(progressOf(firstRowId)).isZero();
        assertThat(countsOf(firstRowId)).containsExactly("0", "0", "0");
        markPage();
        pause.releaseAndHoldAt(1);
        pause.awaitHeld(PAGE_WAIT);
        int midImport = await().until(d -> {
            int progress = progressOf(firstRowId);
            return progress > 0 ? progress : null;
        });
        assertThat(midImport).isEqualTo(percent(IMPORT_CHUNK, before)).isBetween(1, 99);
        // The counts follow the JSON too: of the first chunk, the edited row is rejected, the others anonymised.
        await().until(d -> countsOf(firstRowId).equals(List.of(Integer.toString(IMPORT_CHUNK),
                Integer.toString(IMPORT_CHUNK - 1), "1")));
        assertThat(pageIsMarked()).as("progress without reloading the page").isTrue();
        screenshot("07-import-progress");
        pause.release();
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_import", firstId);
        WebElement firstRow = await().until(d -> {
            WebElement row = d.findElement(By.id("import-" + firstId));
            return "COMPLETED_WITH_ERRORS".equals(row.getAttribute("data-status")) ? row : null;
        });
        assertThat(firstRow.getText()).contains("Completed with errors");

        // Its page: what was rejected, the error file, and the corrected import offered for the same export.
        firstRow.findElement(By.cssSelector("a.open-import")).click();
        WebElement panel = browser.findElement(By.id("import-panel"));
        assertThat(panel.getAttribute("data-status")).isEqualTo("COMPLETED_WITH_ERRORS");
        assertThat(browser.findElement(By.id("code-CONTENT_MODIFIED")).getText()).contains("1");
        assertThat(browser.findElements(By.id("all-rejected"))).isEmpty();
        WebElement corrected = browser.findElement(By.id("corrected-import"));
        assertThat(corrected.getText()).contains("Import a corrected file").contains("export " + exportId);
        screenshot("08-import-with-errors");
        browser.findElement(By.id("error-file")).click();
        try (InputStream in = Files.newInputStream(awaitDownload("-errors.xlsx"));
                XSSFWorkbook workbook = new XSSFWorkbook(in)) {
            assertThat(workbook.getSheetAt(0).getLastRowNum()).isEqualTo(1);
            assertThat(workbook.getSheetAt(0).getRow(1).getCell(3).getStringCellValue())
                .isEqualTo("CONTENT_MODIFIED");
        }

        // The export list: the edited row is rejected and still open.
        browser.findElement(By.id("nav-exports")).click();
        assertThat(review(browser.findElement(By.id("export-" + exportId)))).containsExactly(before, before - 1, 0L,
                1L, 1L);
        screenshot("09-export-with-an-open-row");

        // The corrected file (the row put back, saved again) through the form of the import's page: the page follows
        // it until it has ended.
        open("/imports/" + firstId);
        corrected = browser.findElement(By.id("corrected-import"));
        Path restored = downloads.resolve("restored.xlsx");
        Files.write(restored, WebTestSupport.resave(exported, w -> {
        }));
        corrected.findElement(By.id("import-file")).sendKeys(restored.toString());
        assertThat(browser.findElement(By.id("drop-name")).getText()).isEqualTo("restored.xlsx");
        corrected.findElement(By.id("import-reviewed")).click();
        corrected.findElement(By.id("import-submit")).click();
        // The new import's page.
        long importId = await().until(d -> {
            String url = d.getCurrentUrl();
            long id = Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
            return id > firstId ? id : null;
        });
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_import", importId);
        await().until(d -> "COMPLETED".equals(
                d.findElement(By.id("import-panel")).getAttribute("data-status")));
        assertThat(browser.findElement(By.id("members-anonymised")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.id("rows-already-anonymised")).getText()).isEqualTo(
                Long.toString(before - 1));
        assertThat(browser.findElements(By.id("corrected-import"))).isEmpty();
        screenshot("10-import-completed");
        assertThat(jdbc.queryForObject("select count(*) from anonymisation_ledger where import_id in (?, ?)",
                Long.class, firstId, importId)).isEqualTo(before);

        // The export list: every row anonymised, nothing rejected or open any more.
        browser.findElement(By.id("nav-exports")).click();
        assertThat(review(browser.findElement(By.id("export-" + exportId)))).containsExactly(before, before, 0L,
                0L, 0L);
        screenshot("11-export-resolved");

        // The gauge was counted again when the import ended.
        browser.findElement(By.id("nav-dashboard")).click();
        assertThat(Long.parseLong(browser.findElement(By.cssSelector("#club-PAR-01 .count")).getText())).isZero();
        screenshot("12-dashboard-after");

        // The same pages in French.
        browser.findElement(By.id("lang")).click();
        await().until(d -> "Contacts à anonymiser".equals(d.findElement(By.tagName("h2")).getText()));
        screenshot("13-dashboard-fr");
        browser.findElement(By.id("nav-imports")).click();
        await().until(d -> d.findElement(By.id("import-" + firstId)).getText().contains("Terminé avec des erreurs"));
        screenshot("14-imports-fr");
        browser.findElement(By.id("nav-exports")).click();
        screenshot("15-exports-fr");
    }

    /** The percentage a progress cell shows (its bar's value), inside the element found by {@code within}. */
    int progressOf(By within) {
        WebElement bar = browser.findElement(within).findElement(By.cssSelector("td.progress progress"));
        return Integer.parseInt(bar.getDomProperty("value").replaceFirst("\\.0+$", ""));
    }

    static int percent(long part, long whole) {
        return (int) (part * 100 / whole);
    }

    /** Rows read, anonymised, rejected, as an import's row in the list shows them. */
    List<String> countsOf(By importRow) {
        WebElement row = browser.findElement(importRow);
        return Stream.of("rowsRead", "membersAnonymised", "rowsRejected")
            .map(field -> row.findElement(By.cssSelector("td[data-field=" + field + "]")).getText())
            .toList();
    }

    /** Exported, anonymised, kept, rejected, still open, as the export row shows them. */
    static List<Long> review(WebElement exportRow) {
        return Stream.of("exported", "anonymised", "kept", "rejected", "open")
            .map(column -> Long.parseLong(exportRow.findElement(By.cssSelector("td." + column)).getText()))
            .toList();
    }

    /** A mark on the page's window: gone if the page is loaded again. */
    void markPage() {
        ((JavascriptExecutor) browser).executeScript("window.__sameLoad = true;");
    }

    boolean pageIsMarked() {
        return Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript("return window.__sameLoad === true;"));
    }

    /**
     * Drops a file on the drop zone as a browser does: dragenter, dragover and drop events carrying a DataTransfer
     * with a File made of these bytes.
     */
    void drop(String name, byte[] bytes) {
        ((JavascriptExecutor) browser).executeScript("""
                var bytes = Uint8Array.from(atob(arguments[0]), function (c) { return c.charCodeAt(0); });
                var transfer = new DataTransfer();
                transfer.items.add(new File([bytes], arguments[1], { type: arguments[2] }));
                var zone = document.getElementById('drop-zone');
                ['dragenter', 'dragover', 'drop'].forEach(function (type) {
                    zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
                });""", Base64.getEncoder().encodeToString(bytes), name,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    void open(String path) {
        browser.get("http://127.0.0.1:" + port + path);
    }

    /** Waits for a condition; an element that htmx has just rendered again is looked for again. */
    WebDriverWait await() {
        WebDriverWait wait = new WebDriverWait(browser, PAGE_WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    void screenshot(String name) throws IOException {
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The finished download whose name ends so (Chromium writes {@code .crdownload} until it is complete). */
    Path awaitDownload(String suffix) {
        return new WebDriverWait(browser, PAGE_WAIT).until(d -> {
            try (Stream<Path> files = Files.list(downloads)) {
                List<Path> done = files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
                return done.isEmpty() ? null : done.get(0);
            }
            catch (IOException ex) {
                return null;
            }
        });
    }

    /** Holds the export and the import mid-step (never by sleeping), to see their progress while they run. */
    @TestConfiguration(proxyBeanMethods = false)
    static class PausedJobs {

        @Bean
        StepPause stepPause() {
            return new StepPause();
        }

        @Bean
        ExportPauseHook exportPauseHook(StepPause stepPause) {
            return new ExportPauseHook(stepPause);
        }

        @Bean
        ImportPauseHook importPauseHook(StepPause stepPause) {
            return new ImportPauseHook(stepPause);
        }
    }
}
