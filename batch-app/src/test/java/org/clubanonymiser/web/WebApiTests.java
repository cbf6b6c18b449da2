package org.clubanonymiser.web;

import com.jayway.jsonpath.JsonPath;
import org.clubanonymiser.testsupport.TestDatabases;
import org.junit.jupiter.api.Test;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.clubanonymiser.exportrecord.ExportProperties;
import org.clubanonymiser.server.NightlyOperations;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clubanonymiser.web.WebTestSupport.from;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Every endpoint with each permission and club-scoping denial, on H2, plus {@link WebApiScenarios}' workflow. Demo
 * users: {@code admin.par01} and {@code admin.lyo01} (one club each), {@code admin.multi} (both), {@code manager} and
 * {@code staff} (no right), {@code manager.granted} (granted, both clubs).
 */
@ContextConfiguration(initializers = TestDatabases.H2Initializer.class)
class WebApiTests extends WebApiScenarios {

    static final String[] ENDPOINTS_GET = { "/api/exports", "/api/exports/1", "/api/exports/1/file", "/api/imports",
            "/api/imports/1", "/api/imports/1/errors", "/api/dashboard" };

    <B extends AbstractMockHttpServletRequestBuilder<B>> B as(B request, String username) {
        return request.with(httpBasic(username, WebTestSupport.PASSWORD));
    }

    long countExports() {
        return jdbc.queryForObject("select count(*) from anonymisation_export", Long.class);
    }

    long countJobInstances() {
        return jdbc.queryForObject("select count(*) from batch_job_instance", Long.class);
    }

    @Test
    void usersWithoutTheRightAreRefusedEverywhere() throws Exception {
        for (String username : new String[] { "manager", "staff" }) {
            for (String path : ENDPOINTS_GET) {
                mvc.perform(as(get(path), username)).andExpect(status().isForbidden());
            }
            mvc.perform(as(post("/api/exports"), username).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"x\",\"clubId\":" + par + "}")).andExpect(status().isForbidden());
            mvc.perform(as(delete("/api/exports/1"), username)).andExpect(status().isForbidden());
            mvc.perform(as(multipart("/api/imports").file(new MockMultipartFile("file", new byte[] { 1 })), username))
                .andExpect(status().isForbidden());
            mvc.perform(as(post("/api/imports/1/restart"), username)).andExpect(status().isForbidden());
            mvc.perform(as(get("/exports"), username)).andExpect(status().isForbidden());
        }
    }

    @Test
    void unauthenticatedCallsGet401AndPagesRedirectToTheLoginForm() throws Exception {
        for (String path : ENDPOINTS_GET) {
            mvc.perform(get(path)).andExpect(status().isUnauthorized())
                .andExpect(result -> assertThat(result.getRequest().getSession(false)).isNull());
        }
        mvc.perform(post("/api/exports").contentType(MediaType.APPLICATION_JSON).content("{}"))
            .andExpect(status().isUnauthorized());
        mvc.perform(get("/exports")).andExpect(status().is3xxRedirection())
            .andExpect(header().string("Location", org.hamcrest.Matchers.endsWith("/login")));
    }

    @Test
    void anExportOfAClubNotAmongTheUsersIsRefusedBeforeAnyJobInstanceExists() throws Exception {
        long exports = countExports();
        long instances = countJobInstances();

        mvc.perform(as(post("/api/exports"), PAR).contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\"not mine\",\"clubId\":" + lyo + "}"))
            .andExpect(status().isForbidden())
            .andExpect(jsonPath("$.code").value("FOREIGN_CLUB"))
            .andExpect(jsonPath("$.message").value("This club is not one of your clubs."));
        mvc.perform(as(post("/api/exports"), PAR).contentType(MediaType.APPLICATION_JSON)
            .header("Accept-Language", "fr")
            .content("{\"name\":\"inconnu\",\"clubId\":999999}"))
            .andExpect(status().isForbidden())
            .andExpect(jsonPath("$.message").value("Ce club ne fait pas partie de vos clubs."));
        mvc.perform(as(get("/api/exports"), PAR).param("clubId", Long.toString(lyo)))
            .andExpect(status().isForbidden());
        mvc.perform(as(get("/api/imports"), PAR).param("clubId", Long.toString(lyo)))
            .andExpect(status().isForbidden());

        assertThat(countExports()).isEqualTo(exports);
        assertThat(countJobInstances()).isEqualTo(instances);
    }

    @Test
    void invalidExportsAreRefusedWithTheirReason() throws Exception {
        long instances = countJobInstances();
        mvc.perform(as(post("/api/exports"), PAR).contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\"x\",\"clubId\":" + par + ",\"inactivityMonths\":13}"))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.code").value("INVALID_MONTHS"));
        mvc.perform(as(post("/api/exports"), PAR).contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\" \",\"clubId\":" + par + "}"))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.code").value("NAME_REQUIRED"));
        mvc.perform(as(post("/api/exports"), PAR).contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\"" + "n".repeat(101) + "\",\"clubId\":" + par + "}"))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.code").value("NAME_TOO_LONG"));
        // A multi-site user must pick a club.
        mvc.perform(as(post("/api/exports"), "admin.multi").contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\"which club\"}"))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.code").value("CLUB_REQUIRED"));
        assertThat(countJobInstances()).isEqualTo(instances);
    }

    @Test
    void aSingleClubUsersExportDefaultsToTheirClubAndTheSameNameTwiceIsAConflict() throws Exception {
        String body = mvc.perform(as(post("/api/exports"), LYO).contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\"default club\",\"inactivityMonths\":84}"))
            .andExpect(status().isAccepted())
            .andExpect(jsonPath("$.clubId").value(lyo))
            .andExpect(jsonPath("$.inactivityMonths").value(84))
            .andReturn().getResponse().getContentAsString();
        long id = ((Number) JsonPath.read(body, "$.id")).longValue();
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_export", id);

        mvc.perform(as(post("/api/exports"), LYO).contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\"default club\",\"inactivityMonths\":84}"))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("EXPORT_EXISTS"));
        mvc.perform(as(get("/api/exports"), LYO).param("name", "DEFAULT").param("status", "COMPLETED"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$[0].id").value(id))
            .andExpect(jsonPath("$.length()").value(1));
        mvc.perform(as(get("/api/exports"), PAR))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$[?(@.id == " + id + ")]").isEmpty());
    }

    @Test
    void deletingAnExportIsLimitedToItsClubAndRemovesTheFile() throws Exception {
        long id = export(LYO, lyo, "to delete");
        java.nio.file.Path zip = storage.exportsDir().resolve(
                jdbc.queryForObject("select file_name from anonymisation_export where id = ?", String.class, id));
        assertThat(zip).exists();

        mvc.perform(as(delete("/api/exports/" + id), PAR)).andExpect(status().isNotFound());
        assertThat(zip).exists();
        mvc.perform(as(delete("/api/exports/" + id), "manager.granted"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.status").value("DELETED"))
            .andExpect(jsonPath("$.fileAvailable").value(false));
        assertThat(zip).doesNotExist();
        mvc.perform(as(get("/api/exports/" + id + "/file"), LYO)).andExpect(status().isConflict());
        mvc.perform(as(get("/api/exports/999999"), LYO)).andExpect(status().isNotFound());
        mvc.perform(as(delete("/api/exports/999999"), LYO)).andExpect(status().isNotFound());
    }

    @Test
    void csrfIsRequiredOfBrowserSessionsAndOfCrossSiteBasicCalls() throws Exception {
        var admin = user("admin.lyo01").authorities(() -> "MASS_ANONYMISATION");
        String json = "{\"name\":\"csrf\",\"clubId\":" + lyo + ",\"inactivityMonths\":12}";
        long instances = countJobInstances();

        mvc.perform(post("/api/exports").with(admin).contentType(MediaType.APPLICATION_JSON).content(json))
            .andExpect(status().isForbidden());
        mvc.perform(as(post("/api/exports"), LYO).header("Sec-Fetch-Site", "cross-site")
            .contentType(MediaType.APPLICATION_JSON).content(json))
            .andExpect(status().isForbidden());
        assertThat(countJobInstances()).isEqualTo(instances);

        String body = mvc.perform(post("/api/exports").with(admin).with(csrf())
            .contentType(MediaType.APPLICATION_JSON).content(json))
            .andExpect(status().isAccepted())
            .andReturn().getResponse().getContentAsString();
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_export",
                ((Number) JsonPath.read(body, "$.id")).longValue());
    }

    @Test
    void aFileOfAnotherClubIsRefusedByTheGateAndSeenOnlyByItsUploader() throws Exception {
        long exportId = export(PAR, par, "foreign file");
        byte[] reviewed = WebTestSupport.resave(
                WebTestSupport.workbookOf(download(PAR, "/api/exports/" + exportId + "/file")), w -> {
                });
        long membersAnonymised = jdbc.queryForObject("select count(*) from anonymisation_ledger", Long.class);

        long importId = upload(LYO, reviewed, false);

        mvc.perform(as(get("/api/imports/" + importId), LYO))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.status").value("FAILED"))
            .andExpect(jsonPath("$.failureCode").value("FOREIGN_CLUB"))
            .andExpect(jsonPath("$.restartable").value(false));
        mvc.perform(as(get("/api/imports/" + importId), PAR)).andExpect(status().isNotFound());
        mvc.perform(as(post("/api/imports/" + importId + "/restart"), LYO))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("REFUSED_NOT_RESTARTABLE"));
        mvc.perform(as(get("/api/imports/" + importId + "/errors"), LYO))
            .andExpect(status().isNotFound())
            .andExpect(jsonPath("$.code").value("NO_ERROR_FILE"));
        assertThat(jdbc.queryForObject("select count(*) from anonymisation_ledger", Long.class))
            .isEqualTo(membersAnonymised);
        // A refused upload is a copy of names that nothing will use: deleted once its import ended.
        String uploaded = jdbc.queryForObject("select file_name from anonymisation_import where id = ?",
                String.class, importId);
        assertThat(storage.uploadsDir().resolve(uploaded)).doesNotExist();

        // A dry run of the right club's admin changes nothing and reports what the import would do.
        long dryRun = upload(PAR, reviewed, true);
        mvc.perform(as(get("/api/imports/" + dryRun), PAR))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.dryRun").value(true))
            .andExpect(jsonPath("$.status").value("COMPLETED"))
            .andExpect(jsonPath("$.rowsRejected").value(0));
        assertThat(jdbc.queryForObject("select count(*) from anonymisation_ledger", Long.class))
            .isEqualTo(membersAnonymised);
    }

    /**
     * An import of a new LYO-01 export that fails in its anonymising step: a stray ledger row (import 0) for an
     * exported member makes the write fail (the ledger allows one row per member). The caller deletes the stray row.
     */
    long failedImport(String exportName) throws Exception {
        long exportId = export(LYO, lyo, exportName);
        byte[] reviewed = WebTestSupport.resave(
                WebTestSupport.workbookOf(download(LYO, "/api/exports/" + exportId + "/file")), w -> {
                });
        Long firstMember = jdbc.queryForObject(
                "select min(member_id) from anonymisation_export_member where export_id = ?", Long.class, exportId);
        jdbc.update("""
                insert into anonymisation_ledger (member_id, club_id, import_id, anonymised_at, requested_by)
                values (?, ?, 0, current_timestamp, 'stray')""", firstMember, lyo);
        return upload(LYO, reviewed, false);
    }

    @Test
    void aFailedImportIsRestartedWhereItStopped() throws Exception {
        long importId = failedImport("restart me");
        long exportId = jdbc.queryForObject("select export_id from anonymisation_import where id = ?", Long.class,
                importId);
        mvc.perform(as(get("/api/imports/" + importId), LYO))
            .andExpect(jsonPath("$.status").value("FAILED"))
            .andExpect(jsonPath("$.restartable").value(true))
            .andExpect(jsonPath("$.restartedBy").value(org.hamcrest.Matchers.nullValue()));
        // The failed import keeps its upload for the restart: readable by the application's account only.
        java.nio.file.Path upload = storage.uploadsDir().resolve(jdbc.queryForObject(
                "select file_name from anonymisation_import where id = ?", String.class, importId));
        assertThat(java.nio.file.Files.getPosixFilePermissions(upload))
            .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        mvc.perform(as(post("/api/imports/" + importId + "/restart"), PAR)).andExpect(status().isNotFound());
        mvc.perform(as(post("/api/imports/999999/restart"), LYO)).andExpect(status().isNotFound());

        // Restarted by another admin of the club: still requested by its uploader, and the restarter is recorded.
        jdbc.update("delete from anonymisation_ledger where import_id = 0");
        mvc.perform(as(post("/api/imports/" + importId + "/restart"), "manager.granted"))
            .andExpect(status().isAccepted())
            .andExpect(jsonPath("$.id").value(importId));
        WebTestSupport.awaitJob(jdbc, launcher, "anonymisation_import", importId);

        mvc.perform(as(get("/api/imports/" + importId), LYO))
            .andExpect(jsonPath("$.status").value("COMPLETED"))
            .andExpect(jsonPath("$.rowsRejected").value(0))
            .andExpect(jsonPath("$.requestedBy").value(LYO))
            .andExpect(jsonPath("$.restartedBy").value("manager.granted"));
        assertThat(jdbc.queryForMap("select requested_by, restarted_by, restarted_at from anonymisation_import"
                + " where id = ?", importId))
            .containsEntry("REQUESTED_BY", LYO)
            .containsEntry("RESTARTED_BY", "manager.granted")
            .extractingByKey("RESTARTED_AT").isNotNull();
        assertThat(jdbc.queryForList("select distinct requested_by from anonymisation_ledger where import_id = ?",
                String.class, importId)).containsExactly(LYO);
        assertThat(jdbc.queryForObject("select count(*) from anonymisation_ledger where import_id = ?", Long.class,
                importId)).isEqualTo(jdbc.queryForObject(
                        "select count(*) from anonymisation_export_member where export_id = ?", Long.class, exportId));
        mvc.perform(as(post("/api/imports/" + importId + "/restart"), LYO))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("NOT_RESTARTABLE"));
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void denialsAreLoggedWithoutPersonalData(CapturedOutput output) throws Exception {
        long userId = jdbc.queryForObject("select id from app_user where username = ?", Long.class, PAR);
        mvc.perform(as(get("/api/exports"), PAR).param("clubId", Long.toString(lyo)))
            .andExpect(status().isForbidden());
        mvc.perform(get("/api/dashboard").with(httpBasic("jeanne.martin", "secret-pass")))
            .andExpect(status().isUnauthorized());
        mvc.perform(as(get("/api/dashboard"), "staff")).andExpect(status().isForbidden());

        assertThat(output.getOut() + output.getErr())
            .contains("Refused GET /api/exports for user #" + userId + ": FOREIGN_CLUB")
            .contains("Refused GET /api/dashboard: not authenticated (bad credentials)")
            .contains("Refused GET /api/dashboard for user #")
            .contains(": PERMISSION_DENIED")
            .doesNotContain(PAR)
            .doesNotContain("jeanne.martin")
            .doesNotContain("secret-pass")
            .doesNotContain("staff");
    }

    @Autowired
    MeterRegistry meterRegistry;

    @Autowired
    NightlyOperations nightlyOperations;

    @Autowired
    ExportProperties exportProperties;

    void appUser(long id, String username) {
        WebTestSupport.appUser(jdbc, id, username, LYO, lyo);
    }

    double loginFailures(String outcome) {
        Counter counter = meterRegistry.find("anonymiser.login.failures").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Finding 1: an expired export is unavailable everywhere, and the scheduled purge deletes its file. */
    @Test
    void anExportPastItsRetentionIsNeverDownloadedAndIsPurged() throws Exception {
        long id = export(LYO, lyo, "expires");
        java.nio.file.Path zip = storage.exportsDir().resolve(
                jdbc.queryForObject("select file_name from anonymisation_export where id = ?", String.class, id));
        jdbc.update("update anonymisation_export set created_at = ? where id = ?", java.sql.Timestamp.valueOf(
                java.time.LocalDateTime.now().minus(exportProperties.retention()).minusMinutes(1)), id);
        assertThat(zip).exists();

        mvc.perform(as(get("/api/exports/" + id + "/file"), LYO))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("EXPORT_EXPIRED"))
            .andExpect(header().doesNotExist("Content-Disposition"));
        mvc.perform(as(get("/api/exports/" + id), LYO))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.fileAvailable").value(false))
            .andExpect(jsonPath("$.expired").value(true));
        mvc.perform(get("/exports").with(user(LYO).authorities(() -> "MASS_ANONYMISATION"))
            .header("Accept-Language", "en"))
            .andExpect(status().isOk())
            .andExpect(content().string(org.hamcrest.Matchers.allOf(
                    org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("/api/exports/" + id + "/file")),
                    org.hamcrest.Matchers.containsString("File expired (retention ended)"))));

        assertThat(nightlyOperations.purgeExports()).hasValueSatisfying(
                execution -> assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED));
        assertThat(zip).doesNotExist();
        assertThat(jdbc.queryForObject("select file_deleted_at from anonymisation_export where id = ?",
                java.sql.Timestamp.class, id)).isNotNull();
    }

    /** Finding 2: failed sign-ins are throttled per username and per address, Basic and form alike. */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void repeatedFailedSignInsAreThrottledPerUsernameAndPerAddress(CapturedOutput output) throws Exception {
        appUser(9101, "throttle.basic");
        double failures = loginFailures("bad_credentials");
        double throttled = loginFailures("throttled");
        for (int i = 0; i < 5; i++) {
            mvc.perform(get("/api/dashboard").with(httpBasic("throttle.basic", "guess-" + i)).with(from("10.7.0.1")))
                .andExpect(status().isUnauthorized());
        }
        // Locked: even the right password is refused, without being checked, from any address.
        String locked = mvc.perform(get("/api/dashboard").with(httpBasic("throttle.basic", WebTestSupport.PASSWORD))
            .with(from("10.7.0.1")))
            .andExpect(status().isTooManyRequests())
            .andExpect(header().exists("Retry-After"))
            .andExpect(jsonPath("$.status").value(429))
            .andExpect(jsonPath("$.code").value("LOGIN_THROTTLED"))
            .andReturn().getResponse().getContentAsString();
        mvc.perform(get("/api/dashboard").with(httpBasic("throttle.basic", WebTestSupport.PASSWORD))
            .with(from("10.7.0.2"))).andExpect(status().isTooManyRequests());
        // An unknown username: the same answers, so a lock says nothing about whether a user exists.
        for (int i = 0; i < 5; i++) {
            mvc.perform(get("/api/dashboard").with(httpBasic("no.such.user", "guess-" + i)).with(from("10.7.0.3")))
                .andExpect(status().isUnauthorized());
        }
        String unknown = mvc.perform(get("/api/dashboard").with(httpBasic("no.such.user", "x"))
            .with(from("10.7.0.3")))
            .andExpect(status().isTooManyRequests())
            .andReturn().getResponse().getContentAsString();
        assertThat(unknown).isEqualTo(locked);
        // Per address: twenty failures from one address, each for another username, lock the address.
        for (int i = 0; i < 20; i++) {
            mvc.perform(get("/api/dashboard").with(httpBasic("sprayed." + i, "guess")).with(from("10.7.0.4")))
                .andExpect(status().isUnauthorized());
        }
        mvc.perform(get("/api/dashboard").with(httpBasic(LYO, WebTestSupport.PASSWORD)).with(from("10.7.0.4")))
            .andExpect(status().isTooManyRequests());
        mvc.perform(get("/api/dashboard").with(httpBasic(LYO, WebTestSupport.PASSWORD)).with(from("10.7.0.5")))
            .andExpect(status().isOk());

        assertThat(loginFailures("bad_credentials") - failures).isEqualTo(30);
        assertThat(loginFailures("throttled") - throttled).isEqualTo(4);
        assertThat(meterRegistry.find("anonymiser.login.failures").meters())
            .allSatisfy(meter -> assertThat(meter.getId().getTags()).extracting(Tag::getKey).containsOnly("outcome"));
        long userId = jdbc.queryForObject("select id from app_user where username = 'throttle.basic'", Long.class);
        assertThat(output.getOut() + output.getErr())
            .contains("Sign-in failed from 10.7.0.1 for user #" + userId + " (5 failures in a row")
            .contains("Sign-in failed from 10.7.0.3 for an unknown user")
            .contains("Sign-in refused from 10.7.0.2: too many failed sign-ins")
            .doesNotContain("throttle.basic")
            .doesNotContain("no.such.user")
            .doesNotContain("guess-");
    }

    /** Finding 3: a session cookie with a wrong Basic password does not make a request exempt from CSRF. */
    @Test
    void aSessionWithAWrongBasicPasswordStillNeedsTheCsrfToken() throws Exception {
        long id = export(LYO, lyo, "csrf victim");
        MockHttpSession session = (MockHttpSession) mvc.perform(post("/login").with(csrf())
            .param("username", LYO).param("password", WebTestSupport.PASSWORD))
            .andExpect(redirectedUrl("/exports"))
            .andReturn().getRequest().getSession(false);
        assertThat(session).isNotNull();
        long instances = countJobInstances();

        mvc.perform(post("/api/exports").session(session).with(httpBasic(LYO, "wrong-password"))
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\"forged\",\"clubId\":" + lyo + "}"))
            .andExpect(status().isForbidden());
        mvc.perform(delete("/api/exports/" + id).session(session).with(httpBasic(LYO, "wrong-password")))
            .andExpect(status().isForbidden());

        assertThat(countJobInstances()).isEqualTo(instances);
        assertThat(jdbc.queryForObject("select status from anonymisation_export where id = ?", String.class, id))
            .isEqualTo("COMPLETED");
        // The same calls as a script makes them (no session cookie) need no token.
        mvc.perform(as(delete("/api/exports/" + id), LYO)).andExpect(status().isOk());
    }

    /** Finding 11: another club's export or import answers exactly as an unknown id, and the refusal is logged. */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anotherClubsIdsAnswerLikeUnknownIds(CapturedOutput output) throws Exception {
        long id = export(LYO, lyo, "not yours");
        // Refused before its club is known: visible to its uploader only.
        long importId = upload(LYO, new byte[] { 1, 2, 3 }, false);
        long unknown = 987654;
        for (String path : new String[] { "/api/exports/%d", "/api/exports/%d/file", "/api/imports/%d",
                "/api/imports/%d/errors" }) {
            long foreignId = path.startsWith("/api/exports") ? id : importId;
            String foreign = mvc.perform(as(get(path.formatted(foreignId)), PAR)).andExpect(status().isNotFound())
                .andReturn().getResponse().getContentAsString();
            String missing = mvc.perform(as(get(path.formatted(unknown)), PAR)).andExpect(status().isNotFound())
                .andReturn().getResponse().getContentAsString();
            assertThat(foreign.replace(Long.toString(foreignId), "#"))
                .isEqualTo(missing.replace(Long.toString(unknown), "#"));
        }
        mvc.perform(as(post("/api/imports/" + importId + "/restart"), PAR)).andExpect(status().isNotFound())
            .andExpect(jsonPath("$.message").value("There is no import " + importId + "."));
        mvc.perform(as(delete("/api/exports/" + id), PAR)).andExpect(status().isNotFound())
            .andExpect(jsonPath("$.code").value("NOT_FOUND"))
            .andExpect(jsonPath("$.message").value("There is no export " + id + "."));
        assertThat(jdbc.queryForObject("select status from anonymisation_export where id = ?", String.class, id))
            .isEqualTo("COMPLETED");
        long userId = jdbc.queryForObject("select id from app_user where username = ?", Long.class, PAR);
        assertThat(output.getOut()).contains("Refused DELETE /api/exports/" + id + " for user #" + userId
                + ": FOREIGN_CLUB");
    }

    /** Finding 10: no job parameters (usernames, export names) in the log; the job's own summary instead. */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void jobRunsAreLoggedWithIdsOnly(CapturedOutput output) throws Exception {
        long id = export(LYO, lyo, "Zoé Dupont-Moreau list");
        long execution = jdbc.queryForObject("select job_execution_id from anonymisation_export where id = ?",
                Long.class, id);

        assertThat(output.getOut() + output.getErr())
            .contains("exportJob execution " + execution + " started (job instance ")
            .contains("exportJob execution " + execution + " ended COMPLETED (exit code COMPLETED)")
            .doesNotContain("with the following parameters")
            .doesNotContain("Zoé Dupont-Moreau")
            .doesNotContain(LYO);
    }

    /** Finding 12: security headers, and weak password hashes never match. */
    @Test
    void securityHeadersAndOnlyStrongPasswordHashes() throws Exception {
        mvc.perform(as(get("/api/dashboard"), LYO))
            .andExpect(status().isOk())
            .andExpect(header().string("Content-Security-Policy",
                    org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.containsString("default-src 'self'"),
                            org.hamcrest.Matchers.containsString("frame-ancestors 'none'"))))
            .andExpect(header().string("Referrer-Policy", "same-origin"));
        mvc.perform(get("/login"))
            .andExpect(header().exists("Content-Security-Policy"))
            .andExpect(header().string("Referrer-Policy", "same-origin"));

        appUser(9201, "weak.noop");
        appUser(9202, "weak.md5");
        jdbc.update("update app_user set password_hash = '{noop}demo' where id = 9201");
        jdbc.update("update app_user set password_hash = '{MD5}fe01ce2a7fbac8fafaed7c982a04e229' where id = 9202");
        mvc.perform(as(get("/api/dashboard"), "weak.noop")).andExpect(status().isUnauthorized());
        mvc.perform(as(get("/api/dashboard"), "weak.md5")).andExpect(status().isUnauthorized());
    }

    @Test
    void anUploadNeedsAFile() throws Exception {
        mvc.perform(as(multipart("/api/imports"), PAR)).andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.code").value("FILE_REQUIRED"));
        mvc.perform(as(multipart("/api/imports").file(new MockMultipartFile("file", new byte[0])), PAR))
            .andExpect(status().isBadRequest());
    }

    /**
     * How another club's record is refused: not served. One place, so that the status (403 today) can change
     * without touching each test.
     */
    static org.springframework.test.web.servlet.ResultMatcher refusedNotServed() {
        return status().isNotFound();
    }

    /** A completed export of LYO-01's club, set RUNNING as an export in progress shows. */
    @Test
    void anExportIsNotDeletedWhileItRunsNorFromAnotherClubsPage() throws Exception {
        long exportId = export(LYO, lyo, "kept while running");
        String fileName = jdbc.queryForObject("select file_name from anonymisation_export where id = ?", String.class,
                exportId);
        jdbc.update("update anonymisation_export set status = 'RUNNING' where id = ?", exportId);
        try {
            mvc.perform(as(delete("/api/exports/" + exportId), LYO))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("EXPORT_RUNNING"));
            mvc.perform(as(post("/exports/" + exportId + "/delete"), LYO).with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
                    .attributeExists("error"));
        }
        finally {
            jdbc.update("update anonymisation_export set status = 'COMPLETED' where id = ?", exportId);
        }
        assertThat(storage.exportsDir().resolve(fileName)).exists();

        // Another club's admin, signed in for real (HTTP Basic), through the API and through the page's form.
        mvc.perform(as(delete("/api/exports/" + exportId), PAR)).andExpect(refusedNotServed());
        mvc.perform(as(post("/exports/" + exportId + "/delete"), PAR).with(csrf()))
            .andExpect(status().is3xxRedirection())
            .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
                .attributeExists("error"));
        assertThat(storage.exportsDir().resolve(fileName)).exists();
        assertThat(jdbc.queryForObject("select status from anonymisation_export where id = ?", String.class,
                exportId)).isEqualTo("COMPLETED");

        mvc.perform(as(delete("/api/exports/" + exportId), LYO)).andExpect(status().isOk());
        assertThat(storage.exportsDir().resolve(fileName)).doesNotExist();
    }

    /**
     * A failed import is not restarted from another club's page form, nor while its previous execution still shows
     * signs of life (409 IMPORT_RUNNING), nor once its uploaded file is gone (409 UPLOAD_GONE).
     */
    @Test
    void aFailedImportIsRestartedOnlyByItsClubWhileNotRunningAndWhileItsUploadExists() throws Exception {
        long importId;
        try {
            importId = failedImport("restart refusals");
        }
        finally {
            jdbc.update("delete from anonymisation_ledger where import_id = 0");
        }
        long instance = jdbc.queryForObject("select job_instance_id from anonymisation_import where id = ?",
                Long.class, importId);
        assertThat(jdbc.queryForObject("select status from anonymisation_import where id = ?", String.class,
                importId)).isEqualTo("FAILED");
        long executions = jdbc.queryForObject("select count(*) from batch_job_execution where job_instance_id = ?",
                Long.class, instance);

        mvc.perform(as(post("/imports/" + importId + "/restart"), PAR).with(csrf()))
            .andExpect(status().is3xxRedirection())
            .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
                .attributeExists("error"));
        mvc.perform(as(post("/api/imports/" + importId + "/restart"), PAR)).andExpect(refusedNotServed());

        // Its last execution still running as far as the job repository can tell (fresh, STARTED).
        jdbc.update("""
                update batch_job_execution set status = 'STARTED', end_time = null, last_updated = ?
                where job_instance_id = ?""", java.sql.Timestamp.valueOf(java.time.LocalDateTime.now()), instance);
        try {
            mvc.perform(as(post("/api/imports/" + importId + "/restart"), LYO))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("IMPORT_RUNNING"));
        }
        finally {
            jdbc.update("update batch_job_execution set status = 'FAILED', end_time = last_updated"
                    + " where job_instance_id = ?", instance);
        }

        java.nio.file.Path upload = java.nio.file.Path.of(jdbc.queryForObject("""
                select parameter_value from batch_job_execution_params p
                join batch_job_execution e on e.job_execution_id = p.job_execution_id
                where e.job_instance_id = ? and p.parameter_name = 'file'""", String.class, instance));
        java.nio.file.Files.delete(upload);
        mvc.perform(as(post("/api/imports/" + importId + "/restart"), LYO))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("UPLOAD_GONE"));

        assertThat(jdbc.queryForObject("select count(*) from batch_job_execution where job_instance_id = ?",
                Long.class, instance)).as("no execution started by a refused restart").isEqualTo(executions);
        assertThat(jdbc.queryForObject("select status from anonymisation_import where id = ?", String.class,
                importId)).isEqualTo("FAILED");
        assertThat(jdbc.queryForObject("select count(*) from anonymisation_ledger where import_id = ?", Long.class,
                importId)).isZero();
    }

    /** Only health, info and prometheus are published; every other actuator endpoint is closed to a signed-in admin. */
    @Test
    void everyActuatorEndpointButThePublishedOnesIsClosed() throws Exception {
        for (String endpoint : new String[] { "beans", "caches", "conditions", "configprops", "env", "flyway",
                "heapdump", "httpexchanges", "liquibase", "logfile", "loggers", "mappings", "metrics", "quartz",
                "sbom", "scheduledtasks", "sessions", "shutdown", "startup", "threaddump", "batch", "jobs" }) {
            mvc.perform(as(get("/actuator/" + endpoint), "admin.multi")).andExpect(status().isNotFound());
            // With a CSRF token, so that the request reaches the endpoint mapping (without one it is 403 anyway).
            mvc.perform(as(post("/actuator/" + endpoint), "admin.multi").with(csrf()))
                .andExpect(result -> assertThat(result.getResponse().getStatus()).as(endpoint).isIn(404, 405));
        }
        // The published ones live on the management port (ServerModeTests), never on the UI's.
        for (String endpoint : new String[] { "", "/health", "/info", "/prometheus" }) {
            mvc.perform(as(get("/actuator" + endpoint), "admin.multi")).andExpect(status().isNotFound());
        }
    }
}
