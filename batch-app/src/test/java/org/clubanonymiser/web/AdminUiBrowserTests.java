package org.clubanonymiser.web;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.metrics.EligibleMembersGauge;
import org.clubanonymiser.testsupport.RequiredTool;
import org.clubanonymiser.testsupport.TestDatabases;
import org.clubanonymiser.web.jobs.WebJobLauncher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
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
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's workflow in a real browser: headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * installed by {@code .ci/run}) driven by Selenium against the application in server mode on a random localhost
 * port, on the demo data. Log in, note the dashboard count, create an export, wait for it, download it, re-save it
 * with POI (editing one row), upload it with the "reviewed" box ticked, wait for the import, download the error file,
 * and see the dashboard count drop. A screenshot of each page goes to {@code target/screenshots/} (a build artifact).
 * <p>
 * Jobs are awaited on their completion futures (never by sleeping); the page is then expected to show the outcome
 * through its own htmx refresh within a bounded wait (a wait for a condition, not a speed assertion). Without
 * {@code chromium} or {@code chromedriver} on the PATH the test fails, naming the packages ({@code RequiredTool}).
 */
@SpringBootTest(classes = AnonymiserApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "anonymiser.mode=server", "server.address=127.0.0.1", "anonymiser.metrics.eligible-refresh=0",
                "logging.level.org.clubanonymiser=WARN" })
@ContextConfiguration(initializers = TestDatabases.H2Initializer.class)
class AdminUiBrowserTests {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /** Generous: the page refreshes itself every 2 s; this only bounds a broken page. */
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

    WebDriver browser;

    Path downloads;

    @BeforeEach
    void browser() throws Exception {
        Path chromium = RequiredTool.CHROMIUM.require();
        Path chromedriver = RequiredTool.CHROMEDRIVER.require();
        // No Selenium Manager: it would try to download a driver; the system's chromium-driver is the one.
        System.setProperty("webdriver.chrome.driver", chromedriver.toString());
        WebTestSupport.seedDemoOnce(jdbc, jobOperator, demoDataJob, 300);
        gauge.refresh();
        Files.createDirectories(SCREENSHOTS);
        downloads = Files.createTempDirectory(Files.createDirectories(Path.of("target", "browser-downloads")), "dl-")
            .toAbsolutePath();
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile())
            .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--window-size=1280,1000", "--lang=en-GB");
        Map<String, Object> preferences = new HashMap<>();
        preferences.put("download.default_directory", downloads.toString());
        preferences.put("download.prompt_for_download", false);
        preferences.put("intl.accept_languages", "en-GB,en");
        options.setExperimentalOption("prefs", preferences);
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.toFile())
            .usingAnyFreePort()
            .build();
        browser = new ChromeDriver(service, options);
        // Elements of the next page are looked for until it has loaded (bounded; not a speed assertion).
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(20));
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (browser != null) {
            // The last page seen, for a failure's diagnosis (the success path has taken its own already).
            screenshot("99-last-page");
            browser.quit();
        }
    }

    @Test
    void exportReviewImportInTheBrowserAndTheDashboardCountDrops() throws Exception {
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
        assertThat(before).isGreaterThan(1);
        screenshot("02-dashboard-before");

        // New export: name, club (the user's only one), 36 months by default.
        browser.findElement(By.id("nav-exports")).click();
        browser.findElement(By.id("export-name")).sendKeys("Browser export");
        assertThat(new Select(browser.findElement(By.id("export-months"))).getFirstSelectedOption()
            .getAttribute("value")).isEqualTo("36");
        browser.findElement(By.id("export-save")).click();
        assertThat(browser.findElement(By.id("notice")).getText()).startsWith("Export ");
        long exportId = jdbc.queryForObject("select max(id) from anonymisation_export", Long.class);
        screenshot("03-export-started");
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_export", exportId);
        WebElement exportRow = await().until(d -> {
            WebElement row = d.findElement(By.id("export-" + exportId));
            return "COMPLETED".equals(row.getAttribute("data-status")) ? row : null;
        });
        screenshot("04-export-completed");

        exportRow.findElement(By.cssSelector("a.download")).click();
        Path zip = awaitDownload(".zip");
        byte[] reviewed = WebTestSupport.resave(WebTestSupport.workbookOf(Files.readAllBytes(zip)),
                WebTestSupport::editFirstRow);
        Path reviewedFile = downloads.resolve("reviewed.xlsx");
        Files.write(reviewedFile, reviewed);

        // Import: the "I reviewed this file" box is required.
        browser.findElement(By.id("nav-imports")).click();
        screenshot("05-import-page");
        browser.findElement(By.id("import-file")).sendKeys(reviewedFile.toString());
        browser.findElement(By.id("import-reviewed")).click();
        browser.findElement(By.id("import-submit")).click();
        assertThat(browser.findElement(By.id("notice")).getText()).startsWith("Import ");
        long importId = jdbc.queryForObject("select max(id) from anonymisation_import", Long.class);
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_import", importId);
        WebElement importRow = await().until(d -> {
            WebElement row = d.findElement(By.id("import-" + importId));
            return "COMPLETED_WITH_ERRORS".equals(row.getAttribute("data-status")) ? row : null;
        });
        assertThat(importRow.getText()).contains("Completed with errors");
        screenshot("06-import-completed-with-errors");

        importRow.findElement(By.cssSelector("a.errors")).click();
        Path errors = awaitDownload("-errors.xlsx");
        try (InputStream in = Files.newInputStream(errors); XSSFWorkbook workbook = new XSSFWorkbook(in)) {
            assertThat(workbook.getSheetAt(0).getLastRowNum()).isEqualTo(1);
            assertThat(workbook.getSheetAt(0).getRow(1).getCell(3).getStringCellValue())
                .isEqualTo("CONTENT_MODIFIED");
        }

        // The gauge was counted again when the import ended.
        browser.findElement(By.id("nav-dashboard")).click();
        assertThat(Long.parseLong(browser.findElement(By.cssSelector("#club-PAR-01 .count")).getText()))
            .isEqualTo(1);
        screenshot("07-dashboard-after");

        // The same pages in French.
        browser.findElement(By.id("lang")).click();
        await().until(d -> "Contacts à anonymiser".equals(d.findElement(By.tagName("h2")).getText()));
        screenshot("08-dashboard-fr");
        browser.findElement(By.id("nav-imports")).click();
        await().until(d -> d.findElement(By.id("import-" + importId)).getText().contains("Terminé avec des erreurs"));
        screenshot("09-imports-fr");
        browser.findElement(By.id("nav-exports")).click();
        screenshot("10-exports-fr");
    }

    void open(String path) {
        browser.get("http://127.0.0.1:" + port + path);
    }

    WebDriverWait await() {
        return new WebDriverWait(browser, PAGE_WAIT);
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
}
