package org.clubanonymiser.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.metrics.EligibleMembersGauge;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.web.jobs.WebJobLauncher;
import org.hamcrest.Matchers;
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
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The admin's whole workflow through the REST API, as a script does it (HTTP Basic, no CSRF token): create an export,
 * wait, download it, review and re-save it, upload it, wait, download the error file, see the dashboard count drop;
 * and what another club's admin may not see of it. Run on H2 ({@link WebApiTests}) and PostgreSQL
 * ({@link WebApiPostgresTests}).
 */
@SpringBootTest(classes = AnonymiserApplication.class, properties = { "anonymiser.mode=server",
        "anonymiser.metrics.eligible-refresh=0", "logging.level.org.clubanonymiser=WARN",
        WebApiScenarios.JOB_SUMMARY_LOG, WebApiScenarios.LONG_LOGIN_LOCK })
@AutoConfigureMockMvc
abstract class WebApiScenarios {

    /** Each job run's own summary lines, to check what they say (and what Spring Batch's no longer say). */
    static final String JOB_SUMMARY_LOG = "logging.level.org.clubanonymiser.support.execution.JobLoggingContext=INFO";

    /** A sign-in lock outlasts any test, however slow the machine: no test depends on timing. */
    static final String LONG_LOGIN_LOCK = "anonymiser.web.login-throttle.first-lock=10m";

    static final String PAR = "admin.par01";

    static final String LYO = "admin.lyo01";

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

    @Autowired
    EligibleMembersGauge gauge;

    @Autowired
    StorageLayout storage;

    long par;

    long lyo;

    @BeforeEach
    void demoBase() throws Exception {
        WebTestSupport.seedDemoOnce(jdbc, jobOperator, demoDataJob, 300);
        par = WebTestSupport.clubId(jdbc, "PAR-01");
        lyo = WebTestSupport.clubId(jdbc, "LYO-01");
    }

    /** Creates an export as a script would and waits for it; returns its id. */
    long export(String user, long clubId, String name) throws Exception {
        MvcResult created = mvc.perform(post("/api/exports").with(httpBasic(user, WebTestSupport.PASSWORD))
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\"" + name + "\",\"clubId\":" + clubId + "}"))
            .andExpect(status().isAccepted())
            // The record as it stands when the answer is written: a 300-member export may already have ended.
            .andExpect(jsonPath("$.status").value(Matchers.oneOf("RUNNING", "COMPLETED")))
            .andExpect(jsonPath("$.inactivityMonths").value(36))
            .andReturn();
        long id = ((Number) JsonPath.read(created.getResponse().getContentAsString(), "$.id")).longValue();
        assertThat(created.getResponse().getHeader("Location")).isEqualTo("/api/exports/" + id);
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_export", id);
        return id;
    }

    long upload(String user, byte[] xlsx, boolean dryRun) throws Exception {
        MvcResult uploaded = mvc.perform(multipart("/api/imports")
            .file(new MockMultipartFile("file", "../../etc/reviewed.xlsx", "application/octet-stream", xlsx))
            .param("dryRun", Boolean.toString(dryRun))
            .with(httpBasic(user, WebTestSupport.PASSWORD)))
            .andExpect(status().isAccepted())
            .andReturn();
        long id = ((Number) JsonPath.read(uploaded.getResponse().getContentAsString(), "$.id")).longValue();
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_import", id);
        return id;
    }

    byte[] download(String user, String path) throws Exception {
        return mvc.perform(get(path).with(httpBasic(user, WebTestSupport.PASSWORD)))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsByteArray();
    }

    long eligibleOnDashboard(String user, long clubId) throws Exception {
        String body = mvc.perform(get("/api/dashboard").with(httpBasic(user, WebTestSupport.PASSWORD)))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
        return ((Number) JsonPath.<java.util.List<Object>>read(body,
                "$.clubs[?(@.clubId == " + clubId + ")].eligibleMembers").get(0)).longValue();
    }

    @Test
    void exportDownloadReviewImportErrorFileAndTheDashboardCountDrops() throws Exception {
        gauge.refresh();
        long before = eligibleOnDashboard(PAR, par);
        assertThat(before).isPositive();

        long exportId = export(PAR, par, "web flow");

        mvc.perform(get("/api/exports/" + exportId).with(httpBasic(PAR, WebTestSupport.PASSWORD)))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.status").value("COMPLETED"))
            .andExpect(jsonPath("$.progress").value(100))
            .andExpect(jsonPath("$.clubCode").value("PAR-01"))
            .andExpect(jsonPath("$.membersEligible").value(before))
            .andExpect(jsonPath("$.rowCount").value(before))
            .andExpect(jsonPath("$.fileAvailable").value(true))
            .andExpect(jsonPath("$.review.exported").value(before))
            .andExpect(jsonPath("$.review.anonymised").value(0))
            .andExpect(jsonPath("$.review.kept").value(0))
            .andExpect(jsonPath("$.review.rejected").value(0))
            .andExpect(jsonPath("$.review.open").value(before));
        byte[] zip = download(PAR, "/api/exports/" + exportId + "/file");
        byte[] reviewed = WebTestSupport.resave(WebTestSupport.workbookOf(zip), WebTestSupport::editFirstRow);

        // Another club's admin sees nothing of it, not even that it exists (404, as an unknown id).
        mvc.perform(get("/api/exports/" + exportId).with(httpBasic(LYO, WebTestSupport.PASSWORD)))
            .andExpect(status().isNotFound())
            .andExpect(jsonPath("$.code").value("NOT_FOUND"));
        mvc.perform(get("/api/exports/" + exportId + "/file").with(httpBasic(LYO, WebTestSupport.PASSWORD)))
            .andExpect(status().isNotFound());

        long importId = upload(PAR, reviewed, false);

        mvc.perform(get("/api/imports/" + importId).with(httpBasic(PAR, WebTestSupport.PASSWORD)))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.status").value("COMPLETED_WITH_ERRORS"))
            .andExpect(jsonPath("$.exportId").value(exportId))
            .andExpect(jsonPath("$.clubId").value(par))
            .andExpect(jsonPath("$.rowsRead").value(before))
            .andExpect(jsonPath("$.membersAnonymised").value(before - 1))
            .andExpect(jsonPath("$.rowsRejected").value(1))
            .andExpect(jsonPath("$.rejectedByCode.CONTENT_MODIFIED").value(1))
            .andExpect(jsonPath("$.progress").value(100))
            .andExpect(jsonPath("$.fileName").value(org.hamcrest.Matchers.matchesPattern("upload-[0-9a-f-]{36}\\.xlsx")))
            .andExpect(jsonPath("$.errorFileAvailable").value(true));
        byte[] errors = download(PAR, "/api/imports/" + importId + "/errors");
        try (var workbook = new org.apache.poi.xssf.usermodel.XSSFWorkbook(new java.io.ByteArrayInputStream(errors))) {
            var sheet = workbook.getSheetAt(0);
            assertThat(sheet.getLastRowNum()).isEqualTo(1);
            assertThat(sheet.getRow(1).getCell(3).getStringCellValue()).isEqualTo("CONTENT_MODIFIED");
        }
        mvc.perform(get("/api/imports/" + importId + "/errors").with(httpBasic(LYO, WebTestSupport.PASSWORD)))
            .andExpect(status().isNotFound());
        mvc.perform(get("/api/imports").with(httpBasic(LYO, WebTestSupport.PASSWORD)))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$[?(@.id == " + importId + ")]").isEmpty());
        mvc.perform(get("/api/imports").param("exportId", Long.toString(exportId))
            .with(httpBasic(PAR, WebTestSupport.PASSWORD)))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$[0].id").value(importId));

        assertThat(jdbc.queryForObject("select count(*) from anonymisation_ledger where import_id = ?", Long.class,
                importId)).isEqualTo(before - 1);
        // Where the export's rows stand, in the list as for the export alone: the edited row is rejected, still open.
        var one = get("/api/exports/" + exportId);
        var listed = get("/api/exports").param("name", "web flow");
        for (var request : List.of(one, listed)) {
            String prefix = request == listed ? "$[0].review." : "$.review.";
            mvc.perform(request.with(httpBasic(PAR, WebTestSupport.PASSWORD)))
                .andExpect(status().isOk())
                .andExpect(jsonPath(prefix + "exported").value(before))
                .andExpect(jsonPath(prefix + "anonymised").value(before - 1))
                .andExpect(jsonPath(prefix + "kept").value(0))
                .andExpect(jsonPath(prefix + "rejected").value(1))
                .andExpect(jsonPath(prefix + "open").value(1));
        }
        // The gauge was counted again when the import ended: the dashboard shows the drop.
        assertThat(eligibleOnDashboard(PAR, par)).isEqualTo(1);
        // The reviewed upload went with its import (a copy of names); the export's file stays while the edited row
        // is open: the admin corrects it (here: the export re-saved unchanged) and imports again.
        try (var uploads = Files.list(storage.uploadsDir())) {
            assertThat(uploads.map(Path::getFileName).map(Path::toString))
                .noneMatch(name -> name.contains("reviewed"));
        }
        byte[] corrected = WebTestSupport.resave(WebTestSupport.workbookOf(
                download(PAR, "/api/exports/" + exportId + "/file")), workbook -> {
                });

        long correctedId = upload(PAR, corrected, false);

        mvc.perform(get("/api/imports/" + correctedId).with(httpBasic(PAR, WebTestSupport.PASSWORD)))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.status").value("COMPLETED"))
            .andExpect(jsonPath("$.rowsRead").value(before))
            .andExpect(jsonPath("$.membersAnonymised").value(1))
            .andExpect(jsonPath("$.rowsRejected").value(0))
            .andExpect(jsonPath("$.rejectedByCode.ALREADY_ANONYMISED").value(before - 1))
            .andExpect(jsonPath("$.errorFileAvailable").value(false));
        assertThat(jdbc.queryForObject("select count(*) from anonymisation_ledger where import_id in (?, ?)",
                Long.class, importId, correctedId)).isEqualTo(before);
        // Every row resolved: the export's file is gone, and a third upload is refused.
        mvc.perform(get("/api/exports/" + exportId + "/file").with(httpBasic(PAR, WebTestSupport.PASSWORD)))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("EXPORT_FILE_UNAVAILABLE"));
        long refusedId = upload(PAR, corrected, false);
        mvc.perform(get("/api/imports/" + refusedId).with(httpBasic(PAR, WebTestSupport.PASSWORD)))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.status").value("FAILED"))
            .andExpect(jsonPath("$.failureCode").value("EXPORT_ALREADY_IMPORTED"));
    }

    @Test
    void unauthenticatedApiCallsGet401WithABasicChallenge() throws Exception {
        mvc.perform(get("/api/exports"))
            .andExpect(status().isUnauthorized())
            .andExpect(result -> assertThat(result.getResponse().getHeader("WWW-Authenticate"))
                .startsWith("Basic realm="));
        mvc.perform(get("/api/dashboard").with(httpBasic(PAR, "wrong")))
            .andExpect(status().isUnauthorized());
        mvc.perform(get("/api/dashboard").with(httpBasic(LYO, WebTestSupport.PASSWORD)))
            .andExpect(status().isOk())
            .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
            .andExpect(jsonPath("$.inactivityMonths").value(36))
            .andExpect(jsonPath("$.clubs.length()").value(1))
            .andExpect(jsonPath("$.clubs[0].code").value("LYO-01"));
    }
}
