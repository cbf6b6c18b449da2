package org.clubanonymiser.anonymisation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.clubanonymiser.AnonymiserApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The documented command (docs/jobs.md), run through the real application in task mode (Spring Cloud Task's job
 * runner): {@code --spring.batch.job.name=anonymiseMemberJob memberId=… requestedBy=… reason=…}. A refused member fails
 * the launch (non-zero exit, job FAILED with {@code REFUSED:DEBT}); once the debt is settled the very same command
 * restarts that job instance and exits 0; run a third time, the completed instance is refused and nothing changes.
 */
class AnonymiseMemberTaskLaunchTests {

    @TempDir
    Path storage;

    @TempDir
    Path work;

    List<String> database() {
        return List.of("--spring.datasource.url=jdbc:h2:file:" + work.resolve("db"),
                "--anonymiser.storage-dir=" + storage, "--logging.level.root=WARN");
    }

    ConfigurableApplicationContext run(String... args) {
        List<String> all = new ArrayList<>(database());
        all.addAll(List.of(args));
        return SpringApplication.run(AnonymiserApplication.class, all.toArray(String[]::new));
    }

    /** The application with its job runner off: migrates the database, then lets the test read or change it. */
    ConfigurableApplicationContext inspect() {
        return run("--spring.batch.job.name=anonymiseMemberJob", "--spring.batch.job.enabled=false");
    }

    @Test
    void aRefusedRequestFailsTheLaunchAndTheSameCommandRestartsItOnceTheMemberMayBeAnonymised() {
        try (ConfigurableApplicationContext context = inspect()) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            jdbc.update("insert into club (id, code, name) values (1, 'C1', 'One')");
            jdbc.update("insert into app_user (id, username, display_name, password_hash, role)"
                    + " values (1, 'ops.admin', 'Ops', '{noop}x', 'ADMIN')");
            jdbc.update("insert into app_user_club (user_id, club_id) values (1, 1)");
            jdbc.update("""
                    insert into member (id, member_number, club_id, status, first_name, last_name, created_at,
                        sales_blocked, bookings_blocked)
                    values (101, 'M-101', 1, 'FORMER_CLIENT', 'Camille', 'Canary', current_timestamp, false, false)""");
            jdbc.update("insert into member_account (member_id, balance) values (101, -5.00)");
        }
        String[] command = { "--spring.batch.job.name=anonymiseMemberJob", "memberId=101", "requestedBy=ops.admin",
                "reason=ticket-4711" };

        assertThatThrownBy(() -> run(command).close()).hasStackTraceContaining("anonymiseMemberJob");

        try (ConfigurableApplicationContext context = inspect()) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForMap("select status, exit_code from batch_job_execution"))
                .containsEntry("STATUS", "FAILED").containsEntry("EXIT_CODE", "REFUSED:DEBT");
            assertThat(jdbc.queryForObject("select status from member where id = 101", String.class))
                .isEqualTo("FORMER_CLIENT");
            jdbc.update("update member_account set balance = 0 where member_id = 101");
        }

        assertThat(SpringApplication.exit(run(command))).isZero();

        try (ConfigurableApplicationContext context = inspect()) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("select status from member where id = 101", String.class))
                .isEqualTo("ANONYMISED");
            assertThat(jdbc.queryForObject("select count(*) from batch_job_instance", Long.class)).isOne();
            assertThat(jdbc.queryForList("select exit_code from batch_job_execution order by job_execution_id",
                    String.class)).containsExactly("REFUSED:DEBT", "ANONYMISED");
            assertThat(jdbc.queryForList("select status || ':' || coalesce(refusal_code, '-') || ':' || channel"
                    + " || ':' || reason from anonymisation_request order by id", String.class))
                .containsExactly("REFUSED:DEBT:TASK:ticket-4711", "ANONYMISED:-:TASK:ticket-4711");
            assertThat(jdbc.queryForObject("select source from anonymisation_ledger where member_id = 101",
                    String.class)).isEqualTo("SINGLE");
        }

        // The same command once more: the instance is complete, the launch is refused, nothing changes.
        assertThatThrownBy(() -> run(command).close()).isNotNull();
        try (ConfigurableApplicationContext context = inspect()) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("select count(*) from batch_job_execution", Long.class)).isEqualTo(2);
            assertThat(jdbc.queryForObject("select count(*) from anonymisation_request", Long.class)).isEqualTo(2);
        }
    }
}
