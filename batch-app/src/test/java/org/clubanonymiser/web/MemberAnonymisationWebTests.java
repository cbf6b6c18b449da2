package org.clubanonymiser.web;

import java.util.concurrent.TimeUnit;

import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.anonymisation.AnonymisationPlan;
import org.clubanonymiser.metrics.EligibleMembersGauge;
import org.clubanonymiser.testsupport.TestDatabases;
import org.clubanonymiser.web.members.Members;
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
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Single-member anonymisation through the REST API ({@code POST /api/members/{id}/anonymisation}) and the Members
 * pages, with real authentication (HTTP Basic against the demo users, password {@code demo}), on H2: the effect and
 * the ledger, a second call changing nothing, each refusal with its code and status, the dashboard's count updated,
 * the search limited to the user's clubs and CSRF on the page's forms. The rules on both databases and the race are
 * in batch-jobs' {@code AnonymiseMemberJobFunctionalTests}.
 */
@SpringBootTest(classes = AnonymiserApplication.class, properties = { "anonymiser.mode=server",
        "anonymiser.metrics.eligible-refresh=0", "logging.level.org.clubanonymiser=WARN",
        "anonymiser.web.job-threads=1" })
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TestDatabases.H2Initializer.class)
class MemberAnonymisationWebTests {

    static final String PAR = "admin.par01";

    /** A member who may be anonymised now: not a client, zero balance, nothing to come, not anonymised. */
    static final String MAY_BE_ANONYMISED = """
            select min(m.id) from member m where m.club_id = ? and m.status in ('PROSPECT', 'FORMER_CLIENT')
                and m.anonymised_at is null
                and coalesce((select a.balance from member_account a where a.member_id = m.id), 0) = 0
                and not exists (select 1 from booking b where b.member_id = m.id
                    and (b.starts_at >= current_timestamp or b.booked_at >= current_timestamp))
                and not exists (select 1 from instalment i where i.member_id = m.id and i.due_date >= current_date)
                and not exists (select 1 from visit v where v.member_id = m.id and v.visited_at >= current_timestamp)
                and not exists (select 1 from purchase p where p.member_id = m.id
                    and p.purchased_at >= current_timestamp)""";

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
    EligibleMembersGauge gauge;

    @Autowired
    Members members;

    long par;

    long lyo;

    @BeforeEach
    void demoBase() throws Exception {
        WebTestSupport.seedDemoOnce(jdbc, jobOperator, demoDataJob, 300);
        par = WebTestSupport.clubId(jdbc, "PAR-01");
        lyo = WebTestSupport.clubId(jdbc, "LYO-01");
    }

    private long eligibleMember(long clubId) {
        return jdbc.queryForObject(MAY_BE_ANONYMISED, Long.class, clubId);
    }

    /** A member the dashboard counts: eligible at 36 months (so also without any inactivity period). */
    private long countedOnTheDashboard(long clubId) {
        java.time.LocalDate cutoff = java.time.LocalDate.now().minusMonths(36);
        return new org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate(jdbc).queryForObject(
                "select min(m.id) from member m where m.club_id = :club and "
                        + org.clubanonymiser.eligibility.EligibilitySql.ELIGIBLE_PREDICATE,
                new org.springframework.jdbc.core.namedparam.MapSqlParameterSource("club", clubId)
                    .addValue("cutoff", java.sql.Timestamp.valueOf(cutoff.atStartOfDay()))
                    .addValue("cutoffDate", java.sql.Date.valueOf(cutoff)), Long.class);
    }

    private long ledger() {
        return jdbc.queryForObject("select count(*) from anonymisation_ledger", Long.class);
    }

    @Test
    void anAdminAnonymisesAMemberThroughTheApiOnceAndTheDashboardCountDrops() throws Exception {
        gauge.refresh();
        long before = gauge.value(par).orElseThrow();
        long id = countedOnTheDashboard(par);
        String lastName = jdbc.queryForObject("select last_name from member where id = ?", String.class, id);
        long ledgerBefore = ledger();

        mvc.perform(post("/api/members/{id}/anonymisation", id).with(httpBasic(PAR, WebTestSupport.PASSWORD))
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"reason\":\"DSAR-2026-7\"}"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.memberId").value(id))
            .andExpect(jsonPath("$.outcome").value("ANONYMISED"))
            .andExpect(jsonPath("$.planVersion").value(AnonymisationPlan.VERSION))
            .andExpect(content().string(not(containsString(lastName))));

        assertThat(jdbc.queryForObject("select status from member where id = ?", String.class, id))
            .isEqualTo("ANONYMISED");
        assertThat(jdbc.queryForMap("select source, import_id, requested_by from anonymisation_ledger"
                + " where member_id = ?", id)).containsEntry("SOURCE", "SINGLE").containsEntry("IMPORT_ID", null)
            .containsEntry("REQUESTED_BY", PAR);
        assertThat(jdbc.queryForMap("select channel, reason, status from anonymisation_request where member_id = ?",
                id)).containsEntry("CHANNEL", "API").containsEntry("REASON", "DSAR-2026-7")
            .containsEntry("STATUS", "ANONYMISED");
        members.lastRecount().get(1, TimeUnit.MINUTES);
        assertThat(gauge.value(par).orElseThrow()).isEqualTo(before - 1);

        // The same request again: a clear answer, nothing changed. No body at all is accepted too.
        long requests = jdbc.queryForObject("select count(*) from anonymisation_request", Long.class);
        mvc.perform(post("/api/members/{id}/anonymisation", id).with(httpBasic(PAR, WebTestSupport.PASSWORD)))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.outcome").value("ALREADY_ANONYMISED"));
        assertThat(ledger()).isEqualTo(ledgerBefore + 1);
        assertThat(jdbc.queryForObject("select count(*) from anonymisation_request", Long.class))
            .isEqualTo(requests);
    }

    @Test
    void refusalsNameTheRuleWithTheirStatusAndTouchNoMember() throws Exception {
        long client = jdbc.queryForObject("select min(id) from member where club_id = ? and status = 'CLIENT'",
                Long.class, par);
        long debtor = jdbc.queryForObject("""
                select min(m.id) from member m join member_account a on a.member_id = m.id
                where m.club_id = ? and m.status <> 'CLIENT' and m.anonymised_at is null and a.balance < 0""",
                Long.class, par);
        long foreign = eligibleMember(lyo);
        long ledgerBefore = ledger();

        refused(client, PAR, "{}", 409, "CLIENT");
        refused(debtor, PAR, null, 409, "DEBT");
        refused(foreign, PAR, null, 403, "FOREIGN_CLUB");
        mvc.perform(post("/api/members/{id}/anonymisation", foreign).with(httpBasic("manager",
                WebTestSupport.PASSWORD))).andExpect(status().isForbidden());
        refused(999_999, PAR, null, 404, "NOT_FOUND");
        refused(eligibleMember(par), PAR, "{\"reason\":\"" + "x".repeat(201) + "\"}", 400, "REASON_TOO_LONG");
        mvc.perform(post("/api/members/{id}/anonymisation", client)).andExpect(status().isUnauthorized());

        assertThat(ledger()).isEqualTo(ledgerBefore);
        assertThat(jdbc.queryForObject("select status from member where id = ?", String.class, client))
            .isEqualTo("CLIENT");
    }

    private void refused(long id, String user, String body, int status, String code) throws Exception {
        var request = post("/api/members/{id}/anonymisation", id).with(httpBasic(user, WebTestSupport.PASSWORD))
            .header("Accept-Language", "en");
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        String name = jdbc.queryForList("select last_name from member where id = ?", String.class, id).stream()
            .findFirst().orElse("no-such-member");
        mvc.perform(request)
            .andExpect(status().is(status))
            .andExpect(jsonPath("$.code").value(code))
            .andExpect(content().string(not(containsString(name))));
    }

    @Test
    void theSearchFindsOnlyTheUsersClubsAndTheMemberPageAnonymisesOnceConfirmed() throws Exception {
        long id = eligibleMember(par);
        String number = jdbc.queryForObject("select member_number from member where id = ?", String.class, id);
        long foreign = eligibleMember(lyo);
        String foreignNumber = jdbc.queryForObject("select member_number from member where id = ?", String.class,
                foreign);

        mvc.perform(post("/members/search").with(httpBasic(PAR, WebTestSupport.PASSWORD)).with(csrf())
            .param("number", number).header("Accept-Language", "en"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("/members/" + id)));
        mvc.perform(post("/members/search").with(httpBasic(PAR, WebTestSupport.PASSWORD)).with(csrf())
            .param("number", foreignNumber))
            .andExpect(status().isOk())
            .andExpect(content().string(allOf(not(containsString("/members/" + foreign)),
                    containsString("No member of your clubs matches"))));
        mvc.perform(get("/members/{id}", foreign).with(httpBasic(PAR, WebTestSupport.PASSWORD)))
            .andExpect(status().isForbidden());
        mvc.perform(get("/members/{id}", id).with(httpBasic(PAR, WebTestSupport.PASSWORD))
            .header("Accept-Language", "en"))
            .andExpect(status().isOk())
            .andExpect(content().string(allOf(containsString("Anonymise this member"),
                    containsString("immediate and irreversible"), containsString("name=\"_csrf\""))));

        // Without the token: refused. Without the confirmation: refused, nothing changed.
        mvc.perform(post("/members/{id}/anonymisation", id).with(httpBasic(PAR, WebTestSupport.PASSWORD))
            .param("confirmed", "true"))
            .andExpect(status().isForbidden());
        mvc.perform(post("/members/{id}/anonymisation", id).with(httpBasic(PAR, WebTestSupport.PASSWORD))
            .with(csrf()))
            .andExpect(redirectedUrl("/members/" + id))
            .andExpect(flash().attribute("error", containsString("confirm")));
        assertThat(jdbc.queryForObject("select status from member where id = ?", String.class, id))
            .isNotEqualTo("ANONYMISED");

        mvc.perform(post("/members/{id}/anonymisation", id).with(httpBasic(PAR, WebTestSupport.PASSWORD))
            .with(csrf()).param("confirmed", "true").param("reason", "front desk request"))
            .andExpect(redirectedUrl("/members/" + id))
            .andExpect(flash().attribute("notice", containsString("anonymised")));
        assertThat(jdbc.queryForObject("select status from member where id = ?", String.class, id))
            .isEqualTo("ANONYMISED");
        assertThat(jdbc.queryForObject("select channel from anonymisation_request where member_id = ?",
                String.class, id)).isEqualTo("PAGE");
    }
}
