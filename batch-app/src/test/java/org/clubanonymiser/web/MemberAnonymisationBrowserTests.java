package org.clubanonymiser.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
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
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The seed's "Anonymiser le client" in a real browser (headless Chromium driven by Selenium, as
 * {@link AdminUiBrowserTests}): sign in, search a member of the club by name, open their page, read the
 * consequences, confirm and anonymise; the page then shows the member anonymised, and the database agrees. Fails
 * with a message naming the tool when {@code chromium} or {@code chromedriver} is missing. Screenshots in
 * {@code target/screenshots/member-*.png}. Its own application context and database (its property set differs from
 * the other browser test's), so that neither sees the other's anonymisations.
 */
@SpringBootTest(classes = AnonymiserApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "anonymiser.mode=server", "server.address=127.0.0.1", "anonymiser.metrics.eligible-refresh=0",
                "logging.level.org.clubanonymiser=WARN", "anonymiser.web.job-threads=1" })
@ContextConfiguration(initializers = TestDatabases.H2Initializer.class)
class MemberAnonymisationBrowserTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobOperator jobOperator;

    @Autowired
    @Qualifier("demoDataJob")
    Job demoDataJob;

    WebDriver browser;

    @BeforeEach
    void browser() throws Exception {
        WebTestSupport.seedDemoOnce(jdbc, jobOperator, demoDataJob, 300);
        Files.createDirectories(AdminUiBrowserTests.SCREENSHOTS);
        browser = AdminUiBrowserTests.headlessChromium(Map.of());
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (browser != null) {
            screenshot("member-99-last-page");
            browser.quit();
        }
    }

    @Test
    void searchAMemberByNameAndAnonymiseItFromItsPage() throws Exception {
        long club = WebTestSupport.clubId(jdbc, "PAR-01");
        long id = jdbc.queryForObject(MemberAnonymisationWebTests.MAY_BE_ANONYMISED, Long.class, club);
        String lastName = jdbc.queryForObject("select last_name from member where id = ?", String.class, id);
        String number = jdbc.queryForObject("select member_number from member where id = ?", String.class, id);

        browser.get("http://127.0.0.1:" + port + "/members");
        browser.findElement(By.id("username")).sendKeys("admin.par01");
        browser.findElement(By.id("password")).sendKeys(WebTestSupport.PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        await().until(d -> d.getCurrentUrl().contains("/members"));

        browser.findElement(By.id("search-name")).sendKeys(lastName);
        browser.findElement(By.id("search")).click();
        // What was searched for never appears in the address.
        assertThat(browser.getCurrentUrl()).endsWith("/members/search").doesNotContain(lastName);
        screenshot("member-01-search");
        browser.findElement(By.cssSelector("#member-" + id + " a")).click();

        await().until(d -> d.getCurrentUrl().endsWith("/members/" + id));
        assertThat(browser.findElement(By.id("member-number")).getText()).isEqualTo(number);
        assertThat(browser.findElement(By.id("consequences")).getText()).contains("irreversible",
                "badges retired");
        screenshot("member-02-page");
        browser.findElement(By.id("reason")).sendKeys("front desk request");
        browser.findElement(By.id("confirmed")).click();
        browser.findElement(By.id("anonymise-button")).click();

        assertThat(browser.findElement(By.id("notice")).getText()).isEqualTo("Member " + id + " is anonymised.");
        assertThat(browser.findElement(By.id("member-status")).getText()).isEqualTo("Anonymised");
        assertThat(browser.findElements(By.id("anonymise-button"))).isEmpty();
        screenshot("member-03-anonymised");
        assertThat(jdbc.queryForObject("select status from member where id = ?", String.class, id))
            .isEqualTo("ANONYMISED");
        assertThat(jdbc.queryForObject("select source from anonymisation_ledger where member_id = ?", String.class,
                id)).isEqualTo("SINGLE");
    }

    WebDriverWait await() {
        return new WebDriverWait(browser, AdminUiBrowserTests.PAGE_WAIT);
    }

    void screenshot(String name) throws IOException {
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), AdminUiBrowserTests.SCREENSHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
