package org.clubanonymiser.support;

import java.util.Optional;
import java.util.Set;

import org.clubanonymiser.support.account.UserAccount;
import org.clubanonymiser.support.account.UserAccountRepository;

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

        /** The user of a {@code app_user} row, as the rules see it (without its password hash). */
        public static AppUser of(UserAccount account) {
            return new AppUser(account.id(), account.username(), account.role(), account.massAnonymisationGranted(),
                    account.clubIds());
        }

        public boolean mayAnonymise() {
            return "ADMIN".equals(role) || massAnonymisationGranted;
        }
    }

    private final UserAccountRepository users;

    public UserAccess(UserAccountRepository users) {
        this.users = users;
    }

    public Optional<AppUser> find(String username) {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        return users.findByUsername(username).map(AppUser::of);
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
