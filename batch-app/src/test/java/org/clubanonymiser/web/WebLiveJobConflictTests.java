package org.clubanonymiser.web;

import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.testsupport.TestDatabases;
import org.clubanonymiser.web.jobs.WebJobLauncher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The conflicts a running job causes, with the job really running: an export or an import held mid-step by a
 * {@link StepPause} (never by sleeping), users signed in for real (HTTP Basic, the page forms with their CSRF
 * token). {@link WebApiTests} covers the same answers from a record's state alone (an execution left STARTED by a
 * crashed process); here nothing is faked.
 */
@SpringBootTest(classes = AnonymiserApplication.class,
        properties = { "anonymiser.mode=server", "anonymiser.metrics.eligible-refresh=0",
                "logging.level.org.clubanonymiser=WARN", "anonymiser.export.chunk-size=10",
                "anonymiser.import.chunk-size=5", WebApiScenarios.LONG_LOGIN_LOCK })
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TestDatabases.H2Initializer.class)
@Import(AdminUiBrowserTests.PausedJobs.class)
class WebLiveJobConflictTests {

    static final Duration HELD = Duration.ofMinutes(3);

    static final String LYO = WebApiScenarios.LYO;

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
    StorageLayout storage;

    @Autowired
    StepPause pause;

    long lyo;

    @BeforeEach
    void demoBase() throws Exception {
        WebTestSupport.seedDemoOnce(jdbc, jobOperator, demoDataJob, 300);
        lyo = WebTestSupport.clubId(jdbc, "LYO-01");
    }

    @AfterEach
    void letJobsGo() {
        pause.reset();
    }

    @Test
    void aRunningExportIsNeitherDeletedNorStartedTwice() throws Exception {
        long executions = count("select count(*) from batch_job_execution");
        pause.holdAt(2);
        long exportId = startExport("held export");
        pause.awaitHeld(HELD);

        assertThat(jdbc.queryForObject("select status from anonymisation_export where id = ?", String.class,
                exportId)).isEqualTo("RUNNING");
        mvc.perform(delete("/api/exports/" + exportId).with(httpBasic(LYO, WebTestSupport.PASSWORD)))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("EXPORT_RUNNING"));
        mvc.perform(post("/exports/" + exportId + "/delete").with(httpBasic(LYO, WebTestSupport.PASSWORD))
            .with(csrf())).andExpect(status().is3xxRedirection()).andExpect(flash().attributeExists("error"));
        // The same export again (same job parameters) while the first runs: refused, no second execution.
        mvc.perform(post("/api/exports").with(httpBasic(LYO, WebTestSupport.PASSWORD))
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\"held export\",\"clubId\":" + lyo + "}"))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("EXPORT_RUNNING"));
        assertThat(count("select count(*) from batch_job_execution")).isEqualTo(executions + 1);

        pause.release();
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_export", exportId);
        String file = jdbc.queryForObject("select file_name from anonymisation_export where id = ? and status ="
                + " 'COMPLETED'", String.class, exportId);
        assertThat(storage.exportsDir().resolve(file)).exists();
        mvc.perform(delete("/api/exports/" + exportId).with(httpBasic(LYO, WebTestSupport.PASSWORD)))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.status").value("DELETED"));
        assertThat(storage.exportsDir().resolve(file)).doesNotExist();
    }

    @Test
    void aRestartedImportThatRunsIsNotRestartedAgain() throws Exception {
        long exportId = startExport("import held");
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_export", exportId);
        byte[] reviewed = WebTestSupport.resave(WebTestSupport.workbookOf(mvc
            .perform(get("/api/exports/" + exportId + "/file").with(httpBasic(LYO, WebTestSupport.PASSWORD)))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsByteArray()), workbook -> {
            });
        long exported = count("select count(*) from anonymisation_export_member where export_id = " + exportId);
        assertThat(exported).isGreaterThan(10);

        // A member anonymised by someone else in the meantime makes the first run fail (the ledger refuses it).
        long firstMember = count("select min(member_id) from anonymisation_export_member where export_id = "
                + exportId);
        jdbc.update("""
                insert into anonymisation_ledger (member_id, club_id, import_id, anonymised_at, requested_by)
                values (?, ?, 0, current_timestamp, 'stray')""", firstMember, lyo);
        long importId = upload(reviewed);
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_import", importId);
        jdbc.update("delete from anonymisation_ledger where import_id = 0");
        assertThat(jdbc.queryForObject("select status from anonymisation_import where id = ?", String.class,
                importId)).isEqualTo("FAILED");
        long instance = count("select job_instance_id from anonymisation_import where id = " + importId);

        pause.holdAt(2);
        mvc.perform(post("/api/imports/" + importId + "/restart").with(httpBasic(LYO, WebTestSupport.PASSWORD)))
            .andExpect(status().isAccepted());
        pause.awaitHeld(HELD);
        long executions = count("select count(*) from batch_job_execution where job_instance_id = " + instance);

        mvc.perform(post("/api/imports/" + importId + "/restart").with(httpBasic(LYO, WebTestSupport.PASSWORD)))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("NOT_RESTARTABLE"));
        mvc.perform(post("/imports/" + importId + "/restart").with(httpBasic(LYO, WebTestSupport.PASSWORD))
            .with(csrf())).andExpect(status().is3xxRedirection()).andExpect(flash().attributeExists("error"));
        assertThat(count("select count(*) from batch_job_execution where job_instance_id = " + instance))
            .as("no execution started by a refused restart").isEqualTo(executions);

        pause.release();
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_import", importId);
        assertThat(jdbc.queryForObject("select status from anonymisation_import where id = ?", String.class,
                importId)).isEqualTo("COMPLETED");
        assertThat(count("select count(*) from anonymisation_ledger where import_id = " + importId))
            .isEqualTo(exported);
    }

    long startExport(String name) throws Exception {
        String body = mvc.perform(post("/api/exports").with(httpBasic(LYO, WebTestSupport.PASSWORD))
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\"" + name + "\",\"clubId\":" + lyo + "}"))
            .andExpect(status().isAccepted())
            .andReturn()
            .getResponse()
            .getContentAsString();
        return ((Number) JsonPath.read(body, "$.id")).longValue();
    }

    long upload(byte[] xlsx) throws Exception {
        String body = mvc.perform(multipart("/api/imports")
            .file(new MockMultipartFile("file", "reviewed.xlsx", "application/octet-stream", xlsx))
            .with(httpBasic(LYO, WebTestSupport.PASSWORD)))
            .andExpect(status().isAccepted())
            .andReturn()
            .getResponse()
            .getContentAsString();
        return ((Number) JsonPath.read(body, "$.id")).longValue();
    }

    long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }
}
