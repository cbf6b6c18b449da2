package org.clubanonymiser.web.security;

import java.util.List;

import org.clubanonymiser.support.UserAccess.AppUser;
import org.clubanonymiser.support.account.UserAccount;
import org.clubanonymiser.support.account.UserAccountRepository;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Logins from {@code app_user}: the stored {@code password_hash} is in Spring Security's {@code {id}hash} format
 * (bcrypt for the demo users). The one authority {@value #MASS_ANONYMISATION} is granted exactly when
 * {@link org.clubanonymiser.support.UserAccess.AppUser#mayAnonymise()} holds (ADMIN or granted): the rule is
 * {@code UserAccess}'s, on the user read once per login. Club scoping is not an authority: each request checks it with
 * {@code UserAccess}.
 */
class AppUserDetailsService implements UserDetailsService {

    /** The right to reach anything of the web UI and API. */
    static final String MASS_ANONYMISATION = "MASS_ANONYMISATION";

    private final UserAccountRepository users;

    AppUserDetailsService(UserAccountRepository users) {
        this.users = users;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        // Spring Security turns this into the same "bad credentials" as a wrong password.
        UserAccount account = users.findByUsername(username)
            .orElseThrow(() -> new UsernameNotFoundException("Unknown user"));
        List<SimpleGrantedAuthority> authorities = AppUser.of(account).mayAnonymise()
                ? List.of(new SimpleGrantedAuthority(MASS_ANONYMISATION)) : List.of();
        return User.withUsername(username).password(account.passwordHash()).authorities(authorities).build();
    }
}
