package org.clubanonymiser.support;

import org.clubanonymiser.support.UserAccess.Decision;
import org.clubanonymiser.testsupport.H2Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed's access right: ADMIN, or explicitly granted, and only on the user's own clubs. */
@H2Database
class UserAccessTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    UserAccess access;

    @BeforeEach
    void users() {
        jdbc.update("delete from app_user_club where user_id between 9100 and 9199");
        jdbc.update("delete from app_user where id between 9100 and 9199");
        jdbc.update("delete from club where id in (9101, 9102)");
        jdbc.update("insert into club (id, code, name) values (9101, 'UA-1', 'One'), (9102, 'UA-2', 'Two')");
        user(9101, "ua.admin", "ADMIN", false, 9101);
        user(9102, "ua.manager", "MANAGER", false, 9101);
        user(9103, "ua.granted", "MANAGER", true, 9101, 9102);
        user(9104, "ua.staff", "STAFF", false, 9101);
    }

    private void user(long id, String username, String role, boolean granted, long... clubs) {
        jdbc.update("insert into app_user (id, username, display_name, password_hash, role,"
                + " mass_anonymisation_granted) values (?, ?, ?, '{noop}x', ?, ?)", id, username, username, role,
                granted);
        for (long club : clubs) {
            jdbc.update("insert into app_user_club (user_id, club_id) values (?, ?)", id, club);
        }
    }

    @Test
    void anAdminMayActOnTheirClubOnly() {
        assertThat(access.check("ua.admin", 9101)).isEqualTo(Decision.ALLOWED);
        assertThat(access.check("ua.admin", 9102)).isEqualTo(Decision.FOREIGN_CLUB);
    }

    @Test
    void otherProfilesNeedTheExplicitRight() {
        assertThat(access.check("ua.manager", 9101)).isEqualTo(Decision.PERMISSION_DENIED);
        assertThat(access.check("ua.staff", 9101)).isEqualTo(Decision.PERMISSION_DENIED);
        assertThat(access.check("ua.granted", 9101)).isEqualTo(Decision.ALLOWED);
        assertThat(access.check("ua.granted", 9102)).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void anUnknownOrBlankUserIsRefused() {
        assertThat(access.check("nobody", 9101)).isEqualTo(Decision.UNKNOWN_USER);
        assertThat(access.check(" ", 9101)).isEqualTo(Decision.UNKNOWN_USER);
        assertThat(access.check(null, 9101)).isEqualTo(Decision.UNKNOWN_USER);
    }

    @Test
    void listsTheClubsOfAMultiSiteUser() {
        assertThat(access.find("ua.granted")).hasValueSatisfying(user -> {
            assertThat(user.clubIds()).containsExactlyInAnyOrder(9101L, 9102L);
            assertThat(user.mayAnonymise()).isTrue();
        });
    }
}
