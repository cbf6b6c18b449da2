package org.clubanonymiser.anonymisation;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;

import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The database itself refuses a retired badge number (trigger {@code tr_badge_not_retired}), on H2 (a Java trigger)
 * and PostgreSQL (plpgsql): a new badge, or a badge renumbered, with a number in {@code retired_badge_number}; also
 * after the retired badge's own row is deleted. Retiring (status change) still works.
 */
class RetiredBadgeNumberTests {

    abstract static class Legs {

        @Autowired
        JdbcTemplate jdbc;

        @BeforeEach
        void member() {
            jdbc.update("delete from badge");
            jdbc.update("delete from retired_badge_number");
            jdbc.update("delete from member");
            jdbc.update("delete from club");
            jdbc.update("insert into club (id, code, name) values (1, 'C1', 'Club')");
            for (long id : List.of(1L, 2L)) {
                jdbc.update("""
                        insert into member (id, member_number, club_id, status, first_name, last_name, created_at,
                            sales_blocked, bookings_blocked)
                        values (?, ?, 1, 'PROSPECT', 'A', 'B', current_timestamp, false, false)""", id, "M" + id);
            }
            badge(10, "B-10", 1);
            badge(11, "B-11", 1);
        }

        private void badge(long id, String number, long memberId) {
            jdbc.update("""
                    insert into badge (id, badge_number, member_id, status, assigned_at)
                    values (?, ?, ?, 'ACTIVE', current_timestamp)""", id, number, memberId);
        }

        @Test
        void theAnonymisationRetiresTheMembersBadgesAndTheirNumbersCanNeverBeAssignedAgain() {
            new PlanExecutor(AnonymisationPlan.current()).eraseDetails(new NamedParameterJdbcTemplate(jdbc),
                    List.of(1L), Timestamp.valueOf(LocalDateTime.now()));
            assertThat(jdbc.queryForList("select status from badge where member_id = 1", String.class))
                .containsOnly("RETIRED").hasSize(2);
            assertThat(jdbc.queryForList("select badge_number from retired_badge_number order by 1", String.class))
                .containsExactly("B-10", "B-11");

            assertThatThrownBy(() -> badge(20, "B-10", 2)).isInstanceOf(DataAccessException.class)
                .hasMessageContaining("SQLState 23514");
            jdbc.update("delete from badge where id = 11");
            assertThatThrownBy(() -> badge(21, "B-11", 2)).isInstanceOf(DataAccessException.class)
                .hasMessageContaining("SQLState 23514");
            badge(22, "B-12", 2);
            assertThatThrownBy(() -> jdbc.update("update badge set badge_number = 'B-10' where id = 22"))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("SQLState 23514");
            // A retired badge's other columns may still change (the anonymisation sets its status).
            assertThat(jdbc.update("update badge set status = 'INACTIVE' where id = 10")).isOne();
            assertThat(jdbc.queryForList("select badge_number from badge order by id", String.class))
                .containsExactly("B-10", "B-12");
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Legs {
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Legs {
    }

    @Nested
    @OracleModeDatabase
    class OnOracleMode extends Legs {
    }
}
