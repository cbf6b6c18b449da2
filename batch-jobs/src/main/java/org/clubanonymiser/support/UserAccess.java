package org.clubanonymiser.support;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Who may anonymise what (the seed's "droit d'accès"): an {@code ADMIN}, or any user explicitly granted
 * {@code mass_anonymisation_granted}, on the clubs listed for them in {@code app_user_club}. Checked before any job
 * is launched, and by the web layer on every request.
 */
public class UserAccess {

    /** The outcome of a check, each a distinct refusal. */
    public enum Decision {
        ALLOWED, UNKNOWN_USER, PERMISSION_DENIED, FOREIGN_CLUB
    }

    /** A user as the access rules see it: nothing personal beyond the username. */
    public record AppUser(long id, String username, String role, boolean massAnonymisationGranted,
            Set<Long> clubIds) {

        public boolean mayAnonymise() {
            return "ADMIN".equals(role) || massAnonymisationGranted;
        }
    }

    private final JdbcTemplate jdbc;

    public UserAccess(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<AppUser> find(String username) {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        List<AppUser> users = jdbc.query(
                "select id, username, role, mass_anonymisation_granted from app_user where username = ?",
                (rs, n) -> {
                    long id = rs.getLong("id");
                    Set<Long> clubs = Set.copyOf(jdbc.queryForList(
                            "select club_id from app_user_club where user_id = ?", Long.class, id));
                    return new AppUser(id, rs.getString("username"), rs.getString("role"),
                            rs.getBoolean("mass_anonymisation_granted"), clubs);
                }, username);
        return users.stream().findFirst();
    }

    /** May this user run a mass anonymisation (export or import) on this club? */
    public Decision check(String username, long clubId) {
        Optional<AppUser> user = find(username);
        if (user.isEmpty()) {
            return Decision.UNKNOWN_USER;
        }
        if (!user.get().mayAnonymise()) {
            return Decision.PERMISSION_DENIED;
        }
        return user.get().clubIds().contains(clubId) ? Decision.ALLOWED : Decision.FOREIGN_CLUB;
    }
}
