package org.clubanonymiser.web;

import java.util.List;

import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.testsupport.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The privacy report in server mode, on the demo base (each club has a past import that anonymised its 2%): the page,
 * the CSV download and the printable HTML of a club's import, the JSON API, and the refusals (another club's import,
 * member or period; a user without the right; no scope). Shares {@link WebPageTests}' application context.
 */
@SpringBootTest(classes = AnonymiserApplication.class, properties = { "anonymiser.mode=server",
        "anonymiser.metrics.eligible-refresh=0", "logging.level.org.clubanonymiser=WARN" })
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TestDatabases.H2Initializer.class)
class PrivacyReportWebTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobOperator jobOperator;

    @Autowired
    @Qualifier("demoDataJob")
    Job demoDataJob;

    long par;

    long lyo;

    long parImport;

    long lyoImport;

    @BeforeEach
    void demoBase() throws Exception {
        WebTestSupport.seedDemoOnce(jdbc, jobOperator, demoDataJob, 300);
        par = WebTestSupport.clubId(jdbc, "PAR-01");
        lyo = WebTestSupport.clubId(jdbc, "LYO-01");
        parImport = pastImport(par);
        lyoImport = pastImport(lyo);
    }

    /** The demo's past import of a club (the one that anonymised its seeded ANONYMISED members). */
    private long pastImport(long club) {
        return jdbc.queryForObject("""
                select min(l.import_id) from anonymisation_ledger l where l.club_id = ? and l.import_id is not null""",
                Long.class, club);
    }

    @Test
    void theCsvOfAClubsImportCountsItsMembersAndNamesNoOne() throws Exception {
        long anonymised = jdbc.queryForObject("select count(*) from anonymisation_ledger where import_id = ?",
                Long.class, parImport);
        assertThat(anonymised).isPositive();

        String csv = mvc.perform(get("/privacy/report.csv").param("importId", Long.toString(parImport))
            .with(WebPageTests.admin("admin.par01")))
            .andExpect(status().isOk())
            .andExpect(content().contentTypeCompatibleWith("text/csv"))
            .andExpect(header().string("Content-Disposition",
                    containsString("filename=\"privacy-import-" + parImport + ".csv\"")))
            .andReturn().getResponse().getContentAsString();

        assertThat(csv.split("\r\n")).contains("section,item,value", "report,scope,IMPORT",
                "outcome,anonymised," + anonymised, "check,NAMES,0", "check,total_violations,0",
                "request,import " + parImport + ".club,PAR-01");
        assertNoMemberName(csv);
    }

    @Test
    void thePrintableReportIsAStandaloneHtmlPage() throws Exception {
        String html = mvc.perform(get("/privacy/report").param("importId", Long.toString(parImport))
            .with(WebPageTests.admin("admin.par01")))
            .andExpect(status().isOk())
            .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
            .andReturn().getResponse().getContentAsString();

        assertThat(html).startsWith("<!DOCTYPE html>").contains("Privacy report: import " + parImport)
            .contains("@media print").contains("<table id=\"indicator\">").contains("passed: no personal value found")
            .doesNotContain("<script");
        assertNoMemberName(html);
    }

    @Test
    void thePageOffersTheThreeScopesInEnglishAndFrench() throws Exception {
        mvc.perform(get("/privacy").with(WebPageTests.admin("admin.par01")).header("Accept-Language", "en"))
            .andExpect(status().isOk())
            .andExpect(content().string(allOf(containsString("Privacy report"), containsString("id=\"privacy-import\""),
                    containsString("id=\"privacy-member\""), containsString("id=\"privacy-period\""),
                    containsString("PAR-01"), containsString("id=\"nav-privacy\""))));
        mvc.perform(get("/privacy").with(WebPageTests.admin("admin.par01")).param("lang", "fr"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("Rapport de confidentialité")));
    }

    @Test
    void aPeriodWithoutAClubCoversTheUsersClubsOnly() throws Exception {
        String csv = mvc.perform(get("/privacy/report.csv").param("from", "2000-01-01").param("to", "2100-12-31")
            .with(WebPageTests.admin("admin.par01")))
            .andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString();

        long parAnonymised = jdbc.queryForObject("select count(*) from anonymisation_ledger where club_id = ?",
                Long.class, par);
        assertThat(csv).contains("outcome,anonymised," + parAnonymised + "\r\n")
            .contains("request,import " + parImport + ".club,PAR-01")
            .doesNotContain("LYO-01");
    }

    @Test
    void anotherClubsReportIsRefused() throws Exception {
        long lyoMember = jdbc.queryForObject("select min(member_id) from anonymisation_ledger where club_id = ?",
                Long.class, lyo);
        mvc.perform(get("/privacy/report.csv").param("importId", Long.toString(lyoImport))
            .with(WebPageTests.admin("admin.par01")).header("Accept-Language", "en"))
            .andExpect(status().isForbidden())
            .andExpect(content().string(containsString("This club is not one of your clubs.")));
        mvc.perform(get("/privacy/report").param("memberId", Long.toString(lyoMember))
            .with(WebPageTests.admin("admin.par01")))
            .andExpect(status().isForbidden());
        mvc.perform(get("/privacy/report").param("from", "2000-01-01").param("clubId", Long.toString(lyo))
            .with(WebPageTests.admin("admin.par01")))
            .andExpect(status().isForbidden());
        mvc.perform(get("/api/privacy-report").param("importId", Long.toString(lyoImport))
            .with(httpBasic("admin.par01", WebTestSupport.PASSWORD)))
            .andExpect(status().isForbidden())
            .andExpect(jsonPath("$.code").value("FOREIGN_CLUB"));
        mvc.perform(get("/privacy/report.csv").param("importId", Long.toString(parImport)).with(user("manager")))
            .andExpect(status().isForbidden());
        mvc.perform(get("/api/privacy-report.csv").param("importId", Long.toString(parImport))
            .with(httpBasic("staff", WebTestSupport.PASSWORD)))
            .andExpect(status().isForbidden());
    }

    @Test
    void theApiAnswersJsonOrCsvAndRefusesAMissingScope() throws Exception {
        long anonymised = jdbc.queryForObject("select count(*) from anonymisation_ledger where import_id = ?",
                Long.class, lyoImport);
        mvc.perform(get("/api/privacy-report").param("importId", Long.toString(lyoImport))
            .with(httpBasic("admin.multi", WebTestSupport.PASSWORD)))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.scope.kind").value("IMPORT"))
            .andExpect(jsonPath("$.outcomes.anonymised").value(anonymised))
            .andExpect(jsonPath("$.requests[0].clubCode").value("LYO-01"))
            .andExpect(jsonPath("$.indicator.precision").value("EXACT"))
            .andExpect(jsonPath("$.generalised[2].precision").value("YEAR"));
        mvc.perform(get("/api/privacy-report.csv").param("importId", Long.toString(lyoImport))
            .with(httpBasic("admin.multi", WebTestSupport.PASSWORD)))
            .andExpect(status().isOk())
            .andExpect(content().contentTypeCompatibleWith("text/csv"));
        mvc.perform(get("/api/privacy-report").with(httpBasic("admin.multi", WebTestSupport.PASSWORD)))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.code").value("REPORT_SCOPE"));
        mvc.perform(get("/api/privacy-report").param("importId", "999999")
            .with(httpBasic("admin.multi", WebTestSupport.PASSWORD)))
            .andExpect(status().isNotFound());
    }

    /** No name of any member, anonymised or not, appears (the demo's names are long enough to be unambiguous). */
    private void assertNoMemberName(String text) {
        List<String> names = jdbc.queryForList("""
                select last_name from member where status <> 'ANONYMISED' and length(last_name) >= 6""", String.class);
        assertThat(names).isNotEmpty();
        assertThat(names).allSatisfy(name -> assertThat(text).doesNotContain(name));
    }
}
