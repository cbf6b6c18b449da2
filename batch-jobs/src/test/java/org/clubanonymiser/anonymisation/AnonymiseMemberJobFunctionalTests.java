package org.clubanonymiser.anonymisation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;
import org.clubanonymiser.testsupport.Rows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code anonymiseMemberJob} on H2 and PostgreSQL: the member erased as the plan says with no inactivity period, one
 * ledger row ({@code SINGLE}, no import id), each refusal rule (exit status {@code REFUSED:<code>}, nothing changed
 * but the request record), a second request changing nothing, a restart of a refused request once the member
 * settled, and activity committed while the member's transaction is open never losing.
 */
class AnonymiseMemberJobFunctionalTests {

    /** The service's hook, steered by each test. */
    static class Interleaving implements SingleMemberAnonymiser.Hook {

        volatile java.util.function.LongConsumer afterLock;

        volatile java.util.function.LongConsumer afterUpdate;

        @Override
        public void afterLock(long memberId) {
            if (afterLock != null) {
                afterLock.accept(memberId);
            }
        }

        @Override
        public void afterUpdate(long memberId) {
            if (afterUpdate != null) {
                afterUpdate.accept(memberId);
            }
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class InterleavingConfiguration {

        @Bean
        Interleaving singleMemberHook() {
            return new Interleaving();
        }
    }

    @Import(InterleavingConfiguration.class)
    abstract static class Scenarios {

        static final LocalDateTime NOW = LocalDateTime.now();

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        DataSource dataSource;

        @Autowired
        JobOperator jobOperator;

        @Autowired
        @Qualifier("anonymiseMemberJob")
        Job anonymiseMemberJob;

        @Autowired
        Interleaving interleaving;

        @Autowired
        Environment environment;

        @Autowired
        ObjectProvider<MeterRegistry> meterRegistry;

        final ExecutorService threads = Executors.newSingleThreadExecutor();

        /** Attached to the application's (composite) registry: what the product counts, readable here. */
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();

        CompositeMeterRegistry composite;

        @BeforeEach
        void attachRegistry() {
            composite = (CompositeMeterRegistry) meterRegistry.getIfAvailable(() -> Metrics.globalRegistry);
            composite.add(registry);
        }

        @BeforeEach
        void members() {
            interleaving.afterLock = null;
            interleaving.afterUpdate = null;
            // Each test starts with no job instance: the same member and requester are launched again.
            for (String table : List.of("batch_step_execution_context", "batch_step_execution",
                    "batch_job_execution_context", "batch_job_execution_params", "batch_job_execution",
                    "batch_job_instance", "anonymisation_ledger", "anonymisation_request", "retired_badge_number",
                    "visit", "booking", "purchase", "instalment", "invoice", "badge", "member_account",
                    "member_consent", "member_phone", "member_address", "member", "app_user_club", "app_user",
                    "club")) {
                jdbc.update("delete from " + table);
            }
            jdbc.update("insert into club (id, code, name) values (1, 'C1', 'One'), (2, 'C2', 'Two')");
            user(1, "admin.one", "ADMIN", false, 1);
            user(2, "manager", "MANAGER", false, 1);
            user(3, "manager.granted", "MANAGER", true, 1);
            member(101, 1, "PROSPECT");
            member(102, 1, "CLIENT");
            member(103, 1, "FORMER_CLIENT");
            jdbc.update("insert into member_account (member_id, balance) values (103, -12.50)");
            member(104, 1, "FORMER_CLIENT");
            jdbc.update("insert into member_account (member_id, balance) values (104, 3.00)");
            member(105, 1, "PROSPECT");
            jdbc.update("insert into booking (id, member_id, club_id, booked_at, starts_at, status)"
                    + " values (1051, 105, 1, ?, ?, 'CONFIRMED')", ts(NOW.minusDays(2)), ts(NOW.plusDays(3)));
            member(106, 1, "FORMER_CLIENT");
            jdbc.update("insert into instalment (id, member_id, due_date, amount, status)"
                    + " values (1061, 106, ?, 30.00, 'DUE')", java.sql.Date.valueOf(NOW.toLocalDate().plusDays(20)));
            member(108, 2, "PROSPECT");
            member(109, 1, "FORMER_CLIENT");
            member(110, 1, "FORMER_CLIENT");
            // 101: a member of yesterday with everything a member can have, recent past activity included.
            jdbc.update("insert into member_address (member_id, line1, line2, postcode, city, country)"
                    + " values (101, '1 Rue', 'Bat B', '75001', 'Paris', 'FR')");
            jdbc.update("insert into member_phone (id, member_id, kind, number) values (1011, 101, 'MOBILE', '0600')");
            jdbc.update("insert into member_consent (member_id, channel, granted, updated_at) values (101, 'EMAIL',"
                    + " true, ?)", ts(NOW.minusDays(1)));
            jdbc.update("insert into member_account (member_id, balance) values (101, 0)");
            jdbc.update("insert into badge (id, badge_number, member_id, status, assigned_at)"
                    + " values (1011, 'BADGE-101', 101, 'ACTIVE', ?)", ts(NOW.minusDays(1)));
            jdbc.update("insert into visit (id, member_id, club_id, visited_at) values (1011, 101, 1, ?)",
                    ts(NOW.minusHours(5)));
            jdbc.update("insert into purchase (id, member_id, club_id, purchased_at, amount)"
                    + " values (1011, 101, 1, ?, 20.00)", ts(NOW.minusHours(4)));
            jdbc.update("insert into invoice (id, member_id, invoice_number, issued_at, amount)"
                    + " values (1011, 101, 'INV-1011', ?, 20.00)", ts(NOW.minusHours(4)));
        }

        @AfterEach
        void stopThreads() {
            threads.shutdownNow();
            composite.remove(registry);
            registry.close();
        }

        private void user(long id, String username, String role, boolean granted, long clubId) {
            jdbc.update("insert into app_user (id, username, display_name, password_hash, role,"
                    + " mass_anonymisation_granted) values (?, ?, ?, '{noop}x', ?, ?)", id, username, username, role,
                    granted);
            jdbc.update("insert into app_user_club (user_id, club_id) values (?, ?)", id, clubId);
        }

        private void member(long id, long clubId, String status) {
            jdbc.update("""
                    insert into member (id, member_number, club_id, status, first_name, last_name, email, birth_date,
                        notes, created_at, sales_blocked, bookings_blocked)
                    values (?, ?, ?, ?, 'Camille', 'Canary', 'camille@example.org', ?, 'likes yoga', ?, false, false)""",
                    id, "M-" + id, clubId, status, java.sql.Date.valueOf("1990-01-02"), ts(NOW.minusDays(1)));
        }

        private static Timestamp ts(LocalDateTime time) {
            return Timestamp.valueOf(time);
        }

        JobExecution launch(long memberId, String requestedBy, String reason) throws Exception {
            return jobOperator.start(anonymiseMemberJob, AnonymiseMemberJobParameters.of(memberId, requestedBy,
                    reason));
        }

        /** Every row of every plan table, plus the ledger, requests and retired numbers. */
        Map<String, List<Map<String, Object>>> snapshot() {
            Map<String, List<Map<String, Object>>> all = new LinkedHashMap<>();
            AnonymisationPlan.current().tables().forEach(table -> all.put(table.name(),
                    jdbc.queryForList("select * from " + table.name() + " order by " + table.memberKey())));
            for (String table : List.of("anonymisation_ledger", "anonymisation_request", "retired_badge_number")) {
                all.put(table, jdbc.queryForList("select * from " + table + " order by 1"));
            }
            return all;
        }

        @Test
        void aMemberOfYesterdayIsAnonymisedAsThePlanSaysWithOneSingleLedgerRow() throws Exception {
            double before = counted("1", "ANONYMISED");
            JobExecution execution = launch(101, "admin.one", "DSAR-2026-0042");

            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(execution.getExitStatus().getExitCode()).isEqualTo("ANONYMISED");
            Map<String, Object> member = Rows.map(jdbc, "select * from member where id = 101");
            assertThat(member).containsEntry("STATUS", "ANONYMISED").containsEntry("FIRST_NAME", "No")
                .containsEntry("LAST_NAME", "No").containsEntry("EMAIL", null).containsEntry("NOTES", null)
                .containsEntry("BIRTH_DATE", null).containsEntry("SALES_BLOCKED", true)
                .containsEntry("BOOKINGS_BLOCKED", true).containsEntry("MEMBER_NUMBER", "M-101");
            assertThat(Rows.map(jdbc, "select line1, line2, postcode, city, country from member_address"
                    + " where member_id = 101").values()).containsOnlyNulls();
            assertThat(jdbc.queryForObject("select count(*) from member_phone where member_id = 101", Long.class))
                .isZero();
            assertThat(jdbc.queryForObject("select granted from member_consent where member_id = 101",
                    Boolean.class)).isFalse();
            assertThat(jdbc.queryForObject("select status from badge where id = 1011", String.class))
                .isEqualTo("RETIRED");
            assertThat(jdbc.queryForList("select badge_number from retired_badge_number", String.class))
                .containsExactly("BADGE-101");
            assertThat(jdbc.queryForObject("select count(*) from visit where member_id = 101", Long.class)).isOne();
            assertThat(jdbc.queryForObject("select count(*) from invoice where member_id = 101", Long.class))
                .isOne();
            Map<String, Object> ledger = Rows.map(jdbc, "select * from anonymisation_ledger");
            assertThat(ledger).containsEntry("SOURCE", "SINGLE").containsEntry("IMPORT_ID", null)
                .containsEntry("REQUESTED_BY", "admin.one").containsEntry("PLAN_VERSION", AnonymisationPlan.VERSION);
            Map<String, Object> request = Rows.map(jdbc, "select * from anonymisation_request");
            assertThat(request).containsEntry("STATUS", "ANONYMISED").containsEntry("REASON", "DSAR-2026-0042")
                .containsEntry("CHANNEL", "TASK").containsEntry("REFUSAL_CODE", null)
                .containsEntry("JOB_EXECUTION_ID", execution.getId());
            assertThat(((Number) ledger.get("REQUEST_ID")).longValue())
                .isEqualTo(((Number) request.get("ID")).longValue());
            assertThat(counted("1", "ANONYMISED")).isEqualTo(before + 1);
        }

        @Test
        void aSecondRequestAnswersAlreadyAnonymisedAndChangesNothing() throws Exception {
            launch(101, "admin.one", null);
            Map<String, List<Map<String, Object>>> after = snapshot();

            JobExecution second = launch(101, "manager.granted", null);

            assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(second.getExitStatus().getExitCode()).isEqualTo("ALREADY_ANONYMISED");
            assertThat(snapshot()).isEqualTo(after);
        }

        @Test
        void eachRuleRefusesWithItsCodeAndTouchesNoMember() throws Exception {
            Map<String, List<Map<String, Object>>> before = snapshot();
            Map<Long, String> expected = new LinkedHashMap<>();
            expected.put(102L, "CLIENT");
            expected.put(103L, "DEBT");
            expected.put(104L, "OVERPAYMENT");
            expected.put(105L, "FUTURE_BOOKING");
            expected.put(106L, "FUTURE_INSTALMENT");
            expected.put(108L, "FOREIGN_CLUB");
            expected.put(999L, "UNKNOWN_MEMBER");
            for (Map.Entry<Long, String> rule : expected.entrySet()) {
                JobExecution execution = launch(rule.getKey(), "admin.one", null);
                assertThat(execution.getStatus()).as(rule.getValue()).isEqualTo(BatchStatus.FAILED);
                assertThat(execution.getExitStatus().getExitCode()).isEqualTo("REFUSED:" + rule.getValue());
                assertThat(execution.getExitStatus().getExitDescription()).doesNotContain("Camille", "Canary");
            }
            JobExecution denied = launch(101, "manager", null);
            assertThat(denied.getExitStatus().getExitCode()).isEqualTo("REFUSED:PERMISSION_DENIED");
            JobExecution unknownUser = launch(101, "nobody", null);
            assertThat(unknownUser.getExitStatus().getExitCode()).isEqualTo("REFUSED:UNKNOWN_USER");

            Map<String, List<Map<String, Object>>> after = snapshot();
            List<Map<String, Object>> requests = after.remove("anonymisation_request");
            before.remove("anonymisation_request");
            assertThat(after).isEqualTo(before);
            assertThat(requests).extracting(row -> row.get("REFUSAL_CODE")).containsExactly("CLIENT", "DEBT",
                    "OVERPAYMENT", "FUTURE_BOOKING", "FUTURE_INSTALMENT", "FOREIGN_CLUB", "UNKNOWN_MEMBER",
                    "PERMISSION_DENIED", "UNKNOWN_USER");
            assertThat(requests).extracting(row -> row.get("STATUS")).containsOnly("REFUSED");
        }

        @Test
        void aRefusedRequestRelaunchedOnceTheDebtIsSettledRestartsAndAnonymises() throws Exception {
            JobExecution refused = launch(103, "admin.one", null);
            assertThat(refused.getExitStatus().getExitCode()).isEqualTo("REFUSED:DEBT");
            jdbc.update("update member_account set balance = 0 where member_id = 103");

            JobExecution restarted = launch(103, "admin.one", null);

            assertThat(restarted.getJobInstanceId()).isEqualTo(refused.getJobInstanceId());
            assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(jdbc.queryForObject("select status from member where id = 103", String.class))
                .isEqualTo("ANONYMISED");
        }

        @Test
        void aTooLongReasonIsRefusedBeforeAnyInstanceExists() {
            assertThatThrownBy(() -> launch(101, "admin.one", "x".repeat(201)))
                .isInstanceOf(InvalidJobParametersException.class);
            assertThat(jdbc.queryForObject("select count(*) from batch_job_instance where job_name = ?", Long.class,
                    AnonymiseMemberJobParameters.JOB_NAME)).isZero();
        }

        /**
         * A sale committed from another connection after the member's UPDATE, before the commit: on H2 it commits
         * and the re-check keeps the member (refused ACTIVE_NOW, everything rolled back); on PostgreSQL it waits
         * for the member's row lock and comes after the anonymisation. Never "committed first" and "anonymised".
         */
        @Test
        void aSaleCommittedWhileTheTransactionIsOpenNeverLoses() throws Exception {
            ConcurrentInsert sale = new ConcurrentInsert(
                    "insert into purchase (id, member_id, club_id, purchased_at, amount) values (1099, 109, 1, ?, 9)");
            interleaving.afterUpdate = memberId -> sale.startAndAwaitCommittedOrBlocked();
            assertNeverAnonymisedButActive(109, sale, "ACTIVE_NOW");
        }

        /** The same with a future booking committed while the member's rows are locked, before the UPDATE. */
        @Test
        void aBookingCommittedWhileTheMemberIsLockedNeverLoses() throws Exception {
            ConcurrentInsert booking = new ConcurrentInsert("insert into booking (id, member_id, club_id, booked_at,"
                    + " starts_at, status) values (1101, 110, 1, ?, ?, 'CONFIRMED')");
            interleaving.afterLock = memberId -> booking.startAndAwaitCommittedOrBlocked();
            assertNeverAnonymisedButActive(110, booking, "FUTURE_BOOKING");
        }

        private void assertNeverAnonymisedButActive(long memberId, ConcurrentInsert insert, String refusal)
                throws Exception {
            JobExecution execution = launch(memberId, "admin.one", null);
            insert.awaitDone();
            String status = jdbc.queryForObject("select status from member where id = ?", String.class, memberId);
            long ledger = jdbc.queryForObject("select count(*) from anonymisation_ledger where member_id = ?",
                    Long.class, memberId);
            if (insert.committedWhileOpen) {
                assertThat(execution.getExitStatus().getExitCode()).isEqualTo("REFUSED:" + refusal);
                assertThat(status).isEqualTo("FORMER_CLIENT");
                assertThat(ledger).isZero();
                assertThat(jdbc.queryForObject("select first_name from member where id = ?", String.class, memberId))
                    .isEqualTo("Camille");
                assertThat(jdbc.queryForList("select status from anonymisation_request where member_id = ?",
                        String.class, memberId)).containsExactly("REFUSED");
            }
            else {
                assertThat(execution.getExitStatus().getExitCode()).isEqualTo("ANONYMISED");
                assertThat(status).isEqualTo("ANONYMISED");
                assertThat(ledger).isOne();
            }
            if (isPostgres()) {
                assertThat(insert.committedWhileOpen).as("PostgreSQL: the insert waits for the row lock").isFalse();
            }
            else {
                assertThat(insert.committedWhileOpen).as("H2: the insert does not wait").isTrue();
            }
        }

        boolean isPostgres() {
            return environment.getRequiredProperty("spring.datasource.url").startsWith("jdbc:postgresql:");
        }

        double counted(String club, String outcome) {
            var counter = registry.find(SingleMemberMetrics.REQUESTS).tags("club", club, "outcome",
                    outcome).counter();
            return counter == null ? 0 : counter.count();
        }

        /** An activity row inserted and committed on its own connection and thread; timestamps are now and later. */
        class ConcurrentInsert {

            final String sql;

            volatile boolean committedWhileOpen;

            private Future<?> insert;

            ConcurrentInsert(String sql) {
                this.sql = sql;
            }

            /** Starts the insert; returns once it committed or is waiting for a lock (bounded). */
            void startAndAwaitCommittedOrBlocked() {
                if (insert != null) {
                    return;
                }
                insert = threads.submit(() -> {
                    try (Connection connection = dataSource.getConnection()) {
                        connection.setAutoCommit(false);
                        try (PreparedStatement statement = connection.prepareStatement(sql)) {
                            statement.setTimestamp(1, Timestamp.valueOf(LocalDateTime.now()));
                            if (sql.contains("starts_at")) {
                                statement.setTimestamp(2, Timestamp.valueOf(LocalDateTime.now().plusDays(7)));
                            }
                            statement.executeUpdate();
                        }
                        connection.commit();
                    }
                    return null;
                });
                try {
                    insert.get(3, TimeUnit.SECONDS);
                    committedWhileOpen = true;
                }
                catch (java.util.concurrent.TimeoutException stillWaiting) {
                    // Waiting for the member's row lock (PostgreSQL): it will commit after this transaction.
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }

            void awaitDone() throws Exception {
                assertThat(insert).isNotNull();
                insert.get(60, TimeUnit.SECONDS);
            }
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Scenarios {
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Scenarios {
    }

    @Nested
    @OracleModeDatabase
    class OnOracleMode extends Scenarios {
    }
}
