package org.clubanonymiser.support.account;

import org.clubanonymiser.support.account.UserAccount.ClubGrant;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The users and clubs repositories against the migrated schema on each database: the rows inserted with SQL are read
 * back column for column (plain identifiers, booleans stored as NUMBER(1) on Oracle), clubs by code.
 */
class UserAccountRepositoryTests {

    abstract static class Rows {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        UserAccountRepository users;

        @Autowired
        ClubRepository clubs;

        @BeforeEach
        void rows() {
            jdbc.update("delete from app_user_club where user_id between 9200 and 9299");
            jdbc.update("delete from app_user where id between 9200 and 9299");
            jdbc.update("delete from club where id in (9201, 9202)");
            jdbc.update("insert into club (id, code, name) values (9202, 'UR-B', 'Bravo')");
            jdbc.update("insert into club (id, code, name) values (9201, 'UR-A', 'Alpha')");
            jdbc.update("""
                    insert into app_user (id, username, display_name, password_hash, role, mass_anonymisation_granted)
                    values (9201, 'ur.granted', 'Granted', '{noop}granted', 'MANAGER', ?)""", true);
            jdbc.update("""
                    insert into app_user (id, username, display_name, password_hash, role, mass_anonymisation_granted)
                    values (9202, 'ur.staff', 'Staff', '{noop}staff', 'STAFF', ?)""", false);
            jdbc.update("insert into app_user_club (user_id, club_id) values (9201, 9201)");
            jdbc.update("insert into app_user_club (user_id, club_id) values (9201, 9202)");
        }

        @Test
        void readsAUserWithItsClubs() {
            assertThat(users.findByUsername("ur.granted")).hasValueSatisfying(user -> {
                assertThat(user.id()).isEqualTo(9201);
                assertThat(user.passwordHash()).isEqualTo("{noop}granted");
                assertThat(user.role()).isEqualTo("MANAGER");
                assertThat(user.massAnonymisationGranted()).isTrue();
                assertThat(user.clubs()).containsExactlyInAnyOrder(new ClubGrant(9201), new ClubGrant(9202));
                assertThat(user.clubIds()).containsExactlyInAnyOrder(9201L, 9202L);
            });
            assertThat(users.findByUsername("ur.staff")).hasValueSatisfying(user -> {
                assertThat(user.massAnonymisationGranted()).isFalse();
                assertThat(user.clubs()).isEmpty();
            });
        }

        @Test
        void anUnknownUsernameIsEmpty() {
            assertThat(users.findByUsername("ur.nobody")).isEmpty();
            assertThat(users.findByUsername("UR.GRANTED")).isEmpty();
        }

        @Test
        void listsTheClubsByCode() {
            assertThat(clubs.findAllByOrderByCode()).filteredOn(club -> club.id() > 9200 && club.id() < 9300)
                .containsExactly(new Club(9201, "UR-A", "Alpha"), new Club(9202, "UR-B", "Bravo"));
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Rows {
    }

    @Nested
    @OracleModeDatabase
    class OnOracleMode extends Rows {
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Rows {
    }
}
