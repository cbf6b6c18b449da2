package org.clubanonymiser.web.security;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Logins from {@code app_user}: the stored {@code password_hash} is in Spring Security's {@code {id}hash} format
 * (bcrypt for the demo users). The one authority {@value #MASS_ANONYMISATION} is granted exactly when
 * {@link org.clubanonymiser.support.UserAccess.AppUser#mayAnonymise()} holds (ADMIN or granted): the rule is
 * {@code UserAccess}'s, read once per login. Club scoping is not an authority: each request checks it with
 * {@code UserAccess}.
 */
class AppUserDetailsService implements UserDetailsService {

    /** The right to reach anything of the web UI and API. */
    static final String MASS_ANONYMISATION = "MASS_ANONYMISATION";

    private final JdbcTemplate jdbc;

    private final org.clubanonymiser.support.UserAccess userAccess;

    AppUserDetailsService(JdbcTemplate jdbc, org.clubanonymiser.support.UserAccess userAccess) {
        this.jdbc = jdbc;
        this.userAccess = userAccess;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        List<String> hashes = jdbc.queryForList("select password_hash from app_user where username = ?",
                String.class, username);
        var user = userAccess.find(username);
        if (hashes.isEmpty() || user.isEmpty()) {
            // Spring Security turns this into the same "bad credentials" as a wrong password.
            throw new UsernameNotFoundException("Unknown user");
        }
        List<SimpleGrantedAuthority> authorities = user.get().mayAnonymise()
                ? List.of(new SimpleGrantedAuthority(MASS_ANONYMISATION)) : List.of();
        return User.withUsername(username).password(hashes.get(0)).authorities(authorities).build();
    }
}
