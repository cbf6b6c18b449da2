package org.clubanonymiser.web;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.testsupport.TestDatabases;
import org.clubanonymiser.web.jobs.WebJobLauncher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.UserRequestPostProcessor;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clubanonymiser.web.WebTestSupport.from;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The pages (server-rendered, FR and EN) and their forms: the same checks as the API, CSRF on every form, the
 * "reviewed" confirmation required, refusals in plain words. Shares {@link WebApiTests}' application context.
 */
@SpringBootTest(classes = AnonymiserApplication.class, properties = { "anonymiser.mode=server",
        "anonymiser.metrics.eligible-refresh=0", "logging.level.org.clubanonymiser=WARN",
        WebApiScenarios.JOB_SUMMARY_LOG, WebApiScenarios.LONG_LOGIN_LOCK })
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TestDatabases.H2Initializer.class)
class WebPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobOperator jobOperator;

    @Autowired
    @Qualifier("demoDataJob")
    Job demoDataJob;

    @Autowired
    WebJobLauncher launcher;

    long par;

    long lyo;

    @BeforeEach
    void demoBase() throws Exception {
        WebTestSupport.seedDemoOnce(jdbc, jobOperator, demoDataJob, 300);
        par = WebTestSupport.clubId(jdbc, "PAR-01");
        lyo = WebTestSupport.clubId(jdbc, "LYO-01");
    }

    static UserRequestPostProcessor admin(String username) {
        return user(username).authorities(new SimpleGrantedAuthority("MASS_ANONYMISATION"));
    }

    @Test
    void pagesRenderInEnglishAndFrenchWithOnlyTheUsersClubs() throws Exception {
        mvc.perform(get("/exports").with(admin("admin.par01")).header("Accept-Language", "en"))
            .andExpect(status().isOk())
            .andExpect(content().string(allOf(containsString("New export"), containsString("PAR-01"),
                    not(containsString("LYO-01")), containsString("36 months"), containsString("name=\"_csrf\""))));
        mvc.perform(get("/imports").with(admin("admin.par01")).param("lang", "fr"))
            .andExpect(status().isOk())
            .andExpect(content().string(allOf(containsString("Importer un fichier vérifié"),
                    containsString("J&#39;ai vérifié ce fichier"))));
        mvc.perform(get("/dashboard").with(admin("admin.multi")).header("Accept-Language", "fr"))
            .andExpect(status().isOk())
            .andExpect(content().string(allOf(containsString("Contacts à anonymiser"), containsString("PAR-01"),
                    containsString("LYO-01"))));
        mvc.perform(get("/exports/rows").with(admin("admin.par01")))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("id=\"export-rows\"")));
    }

    @Test
    void aPageFilteredOnAnotherClubIsRefusedInPlainWords() throws Exception {
        mvc.perform(get("/exports").param("clubId", Long.toString(lyo)).with(admin("admin.par01"))
            .header("Accept-Language", "fr"))
            .andExpect(status().isForbidden())
            .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
            .andExpect(content().string(containsString("Ce club ne fait pas partie de vos clubs.")));
        mvc.perform(get("/imports").param("clubId", Long.toString(lyo)).with(admin("admin.par01"))
            .header("Accept-Language", "en"))
            .andExpect(status().isForbidden())
            .andExpect(content().string(containsString("This club is not one of your clubs.")));
        mvc.perform(get("/dashboard").with(user("manager"))).andExpect(status().isForbidden());
    }

    @Test
    void formsNeedTheCsrfTokenAndTheReviewConfirmation() throws Exception {
        long exports = jdbc.queryForObject("select count(*) from anonymisation_export", Long.class);
        mvc.perform(post("/exports").with(admin("admin.par01")).param("name", "no token")
            .param("clubId", Long.toString(par)))
            .andExpect(status().isForbidden());
        mvc.perform(post("/exports").with(admin("admin.par01")).with(csrf()).param("name", "other club")
            .param("clubId", Long.toString(lyo)).header("Accept-Language", "en"))
            .andExpect(redirectedUrl("/exports"))
            .andExpect(flash().attribute("error", "This club is not one of your clubs."));
        assertThat(jdbc.queryForObject("select count(*) from anonymisation_export", Long.class)).isEqualTo(exports);

        long imports = jdbc.queryForObject("select count(*) from anonymisation_import", Long.class);
        mvc.perform(multipart("/imports").file(new MockMultipartFile("file", "f.xlsx", null, new byte[] { 1, 2 }))
            .with(admin("admin.par01")).with(csrf()).header("Accept-Language", "fr"))
            .andExpect(redirectedUrl("/imports"))
            .andExpect(flash().attribute("error", "Confirmez que vous avez vérifié le fichier."));
        mvc.perform(post("/imports/999999/restart").with(admin("admin.par01")).with(csrf())
            .header("Accept-Language", "en"))
            .andExpect(redirectedUrl("/imports"))
            .andExpect(flash().attribute("error", "There is no import 999999."));
        assertThat(jdbc.queryForObject("select count(*) from anonymisation_import", Long.class)).isEqualTo(imports);
    }

    /** Finding 6: an invalid {@code ?lang} is ignored, never a 500 nor an ERROR line. */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anInvalidLanguageIsIgnored(CapturedOutput output) throws Exception {
        for (String lang : new String[] { "zz_!!", "en-US-x-%%", "../../etc", "<script>" }) {
            mvc.perform(get("/login").param("lang", lang).header("Accept-Language", "en"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"login-submit\"")));
            mvc.perform(get("/exports").param("lang", lang).with(admin("admin.par01")))
                .andExpect(status().isOk());
        }
        assertThat(output.getOut() + output.getErr()).doesNotContain("ERROR").doesNotContain("Invalid locale");
    }

    /** Findings 7 and 11: a form refused for another club's record is logged, and answered as an unknown id. */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void refusedFormsAreLoggedAndAnotherClubsRecordIsUnknown(CapturedOutput output) throws Exception {
        jdbc.update("""
                insert into anonymisation_export (name, club_id, inactivity_months, as_of, cutoff, requested_by,
                    status, members_scanned, members_eligible, format_version, created_at)
                values ('lyon only', ?, 36, current_date, current_date, 'admin.lyo01', 'FAILED', 0, 0, 1,
                    current_timestamp)""", lyo);
        long id = jdbc.queryForObject("select max(id) from anonymisation_export where club_id = ?", Long.class, lyo);
        long userId = jdbc.queryForObject("select id from app_user where username = 'admin.par01'", Long.class);

        mvc.perform(post("/exports/" + id + "/delete").with(admin("admin.par01")).with(csrf())
            .header("Accept-Language", "en"))
            .andExpect(redirectedUrl("/exports"))
            .andExpect(flash().attribute("error", "There is no export " + id + "."));
        mvc.perform(post("/exports").with(admin("admin.par01")).with(csrf()).param("name", "other club")
            .param("clubId", Long.toString(lyo)))
            .andExpect(redirectedUrl("/exports"));

        assertThat(jdbc.queryForObject("select status from anonymisation_export where id = ?", String.class, id))
            .isEqualTo("FAILED");
        assertThat(output.getOut())
            .contains("Refused POST /exports/" + id + "/delete for user #" + userId + ": FOREIGN_CLUB")
            .contains("Refused POST /exports for user #" + userId + ": FOREIGN_CLUB")
            .doesNotContain("admin.par01");
    }

    /** Finding 2, the login form: locked after repeated failures, the right password included. */
    @Test
    void theLoginFormIsThrottledToo() throws Exception {
        WebTestSupport.appUser(jdbc, 9301, "throttle.form", "admin.par01", par);
        for (int i = 0; i < 5; i++) {
            mvc.perform(post("/login").with(csrf()).with(from("10.8.0.1")).param("username", "throttle.form")
                .param("password", "guess-" + i))
                .andExpect(redirectedUrl("/login?error"));
        }
        mvc.perform(post("/login").with(csrf()).with(from("10.8.0.1")).param("username", "throttle.form")
            .param("password", "demo"))
            .andExpect(redirectedUrl("/login?locked"))
            .andExpect(result -> assertThat(result.getRequest().getSession(false) == null
                    || result.getRequest().getSession(false).getAttribute("SPRING_SECURITY_CONTEXT") == null).isTrue());
        mvc.perform(get("/login").param("locked", "").header("Accept-Language", "en"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("Too many failed sign-ins")));
    }

    @Test
    void anImportWhoseEveryRowIsRejectedSaysSoLoudlyOnItsPageAndOffersTheCorrectedImport() throws Exception {
        // 12 months: whatever other tests of this context imported (36 months), one PAR member at least stays.
        long exportId = exportAsPage("everything edited", 12);
        byte[] everyRowEdited = WebTestSupport.resave(exportedWorkbook(exportId), workbook -> {
            var sheet = workbook.getSheet("Members");
            for (int row = 1; row <= sheet.getLastRowNum(); row++) {
                sheet.getRow(row).getCell(2).setCellValue("Edited");
            }
        });
        long rows = jdbc.queryForObject("select row_count from anonymisation_export where id = ?", Long.class,
                exportId);
        assertThat(rows).isPositive();

        // A dry run: it reports what an import would do and leaves the export importable.
        long importId = uploadAsPage(everyRowEdited, true);

        assertThat(jdbc.queryForMap("select status, members_anonymised, rows_rejected from anonymisation_import"
                + " where id = ?", importId)).containsEntry("STATUS", "COMPLETED_WITH_ERRORS")
            .containsEntry("MEMBERS_ANONYMISED", 0L)
            .containsEntry("ROWS_REJECTED", rows);
        mvc.perform(get("/imports/" + importId).with(admin("admin.par01")).header("Accept-Language", "en"))
            .andExpect(status().isOk())
            .andExpect(content().string(allOf(containsString("id=\"all-rejected\""),
                    containsString("All " + rows + " rows were rejected: CONTENT_MODIFIED"),
                    containsString("Was the file edited, or saved by an unsupported program?"),
                    // What the job said, as its log and exit status say it.
                    containsString("All " + rows + " rows rejected: CONTENT_MODIFIED"),
                    containsString("id=\"code-CONTENT_MODIFIED\""),
                    containsString("id=\"corrected-import\""), containsString("Import a corrected file"),
                    containsString("name=\"correcting\" value=\"" + importId + "\""))));
        mvc.perform(get("/imports/" + importId).with(admin("admin.par01")).param("lang", "fr"))
            .andExpect(status().isOk())
            .andExpect(content().string(allOf(
                    containsString("Les " + rows + " lignes ont toutes été rejetées : CONTENT_MODIFIED"),
                    containsString("Importer un fichier corrigé"))));
        mvc.perform(get("/imports/" + importId).with(admin("admin.lyo01"))).andExpect(status().isNotFound());

        // The corrected file's form returns to that import's page when the box is not ticked, to the new one's else.
        mvc.perform(multipart("/imports").file(new MockMultipartFile("file", "f.xlsx", null, new byte[] { 1, 2 }))
            .param("correcting", Long.toString(importId)).with(admin("admin.par01")).with(csrf()))
            .andExpect(redirectedUrl("/imports/" + importId));
    }

    @Test
    void theImportListFiltersOnStatusAndDatesOnThePageAndInTheApi() throws Exception {
        long exportId = exportAsPage("filters", 12);
        long completed = uploadAsPage(WebTestSupport.resave(exportedWorkbook(exportId), w -> {
        }), true);
        long refused = uploadAsPage(new byte[] { 1, 2, 3 }, false);
        assertThat(jdbc.queryForObject("select status from anonymisation_import where id = ?", String.class,
                completed)).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForObject("select failure_code from anonymisation_import where id = ?", String.class,
                refused)).isEqualTo("NOT_XLSX");
        LocalDate day = jdbc.queryForObject("select created_at from anonymisation_import where id = ?",
                java.sql.Timestamp.class, refused).toLocalDateTime().toLocalDate();
        assertThat(jdbc.queryForObject("select created_at from anonymisation_import where id = ?",
                java.sql.Timestamp.class, completed).toLocalDateTime().toLocalDate()).isEqualTo(day);

        assertListed(Map.of("status", "COMPLETED"), completed);
        assertListed(Map.of("status", "FAILED"), refused);
        assertListed(Map.of("from", day.toString(), "to", day.toString()), completed, refused);
        assertListed(Map.of("status", "FAILED", "from", day.toString(), "to", day.toString()), refused);
        assertListed(Map.of("from", day.plusDays(1).toString()));
        assertListed(Map.of("to", day.minusDays(1).toString()));
        // The page's filter bar shows what it applied.
        mvc.perform(get("/imports").param("status", "FAILED").with(admin("admin.par01")))
            .andExpect(content().string(allOf(containsString("<details class=\"filters\" open"),
                    containsString("<option value=\"FAILED\" selected"))));
    }

    /** Lists imports with these filters on the page, its htmx rows and the API: exactly the matching ones. */
    void assertListed(Map<String, String> filters, Long... expected) throws Exception {
        List<Long> mine = jdbc.queryForList("select id from anonymisation_import where requested_by = ?", Long.class,
                "admin.par01");
        for (String path : new String[] { "/imports", "/imports/rows" }) {
            MockHttpServletRequestBuilder request = get(path).with(admin("admin.par01"));
            filters.forEach(request::param);
            String page = mvc.perform(request).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
            assertThat(mine.stream().filter(id -> page.contains("id=\"import-" + id + "\"")))
                .as("%s %s", path, filters)
                .containsExactlyInAnyOrderElementsOf(intersect(mine, expected, filters));
        }
        MockHttpServletRequestBuilder api = get("/api/imports").with(admin("admin.par01"));
        filters.forEach(api::param);
        String body = mvc.perform(api).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        List<Long> listed = JsonPath.<List<Number>>read(body, "$[*].id").stream().map(Number::longValue).toList();
        assertThat(listed).as("API %s", filters).containsAll(List.of(expected));
        assertThat(listed).as("API %s", filters).containsExactlyInAnyOrderElementsOf(
                intersect(mine, expected, filters));
    }

    /** The user's imports that match the filters, by the database (the expected ones must be among them). */
    List<Long> intersect(List<Long> mine, Long[] expected, Map<String, String> filters) {
        StringBuilder sql = new StringBuilder("select id from anonymisation_import where requested_by = 'admin.par01'");
        List<Object> args = new java.util.ArrayList<>();
        if (filters.containsKey("status")) {
            sql.append(" and status = ?");
            args.add(filters.get("status"));
        }
        if (filters.containsKey("from")) {
            sql.append(" and created_at >= ?");
            args.add(java.sql.Timestamp.valueOf(LocalDate.parse(filters.get("from")).atStartOfDay()));
        }
        if (filters.containsKey("to")) {
            sql.append(" and created_at < ?");
            args.add(java.sql.Timestamp.valueOf(LocalDate.parse(filters.get("to")).plusDays(1).atStartOfDay()));
        }
        List<Long> matching = jdbc.queryForList(sql.toString(), Long.class, args.toArray());
        assertThat(matching).containsAll(List.of(expected));
        assertThat(mine).containsAll(matching);
        return matching;
    }

    /** Creates an export of PAR-01 through the page's form and waits for it. */
    long exportAsPage(String name, int months) throws Exception {
        mvc.perform(post("/exports").with(admin("admin.par01")).with(csrf()).param("name", name)
            .param("clubId", Long.toString(par)).param("inactivityMonths", Integer.toString(months)))
            .andExpect(redirectedUrl("/exports"))
            .andExpect(flash().attributeExists("notice"));
        long id = jdbc.queryForObject("select max(id) from anonymisation_export where name = ?", Long.class, name);
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_export", id);
        return id;
    }

    byte[] exportedWorkbook(long exportId) throws Exception {
        return WebTestSupport.workbookOf(mvc.perform(get("/api/exports/" + exportId + "/file")
            .with(admin("admin.par01"))).andExpect(status().isOk()).andReturn().getResponse()
            .getContentAsByteArray());
    }

    /** Uploads through the page's form (reviewed), waits for the import; returns its id. */
    long uploadAsPage(byte[] xlsx, boolean dryRun) throws Exception {
        mvc.perform(multipart("/imports").file(new MockMultipartFile("file", "reviewed.xlsx", null, xlsx))
            .param("reviewed", "true").param("dryRun", Boolean.toString(dryRun))
            .with(admin("admin.par01")).with(csrf()))
            .andExpect(redirectedUrl("/imports"))
            .andExpect(flash().attributeExists("notice"));
        long id = jdbc.queryForObject("select max(id) from anonymisation_import where requested_by = ?", Long.class,
                "admin.par01");
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_import", id);
        return id;
    }

    @Test
    void theLoginPageIsOpenAndLoginUsesTheAppUserTable() throws Exception {
        mvc.perform(get("/login")).andExpect(status().isOk())
            .andExpect(content().string(containsString("name=\"_csrf\"")));
        mvc.perform(post("/login").with(csrf()).param("username", "admin.par01").param("password", "demo"))
            .andExpect(redirectedUrl("/exports"));
        mvc.perform(post("/login").with(csrf()).param("username", "admin.par01").param("password", "nope"))
            .andExpect(redirectedUrl("/login?error"));
    }
}
