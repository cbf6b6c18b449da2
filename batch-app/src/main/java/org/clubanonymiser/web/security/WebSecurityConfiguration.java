package org.clubanonymiser.web.security;

import jakarta.servlet.http.HttpServletRequest;

import org.clubanonymiser.support.UserAccess;
import org.clubanonymiser.web.ServerMode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who reaches the UI and the API (the README's "Web UI and REST API"):
 * <ul>
 * <li>logins are {@code app_user} rows ({@link AppUserDetailsService}); scripts send HTTP Basic, browsers use the
 * login form (a session);</li>
 * <li>every page and {@code /api/**} needs {@value AppUserDetailsService#MASS_ANONYMISATION} (ADMIN or granted);
 * clubs are checked per request by {@link CurrentUser}; only the login page, static files and the actuator's
 * health, info and prometheus (ids and counts, scraped by ops) are open;</li>
 * <li>unauthenticated: {@code /api/**} answers 401 with a Basic challenge, pages redirect to the login form;
 * forbidden: 403; every denial is logged by {@link DenialLogging} without personal data;</li>
 * <li>CSRF protection is on, with one exemption: a request to {@code /api/**} carrying its own
 * {@code Authorization: Basic} header and not sent cross-site by a browser ({@code Sec-Fetch-Site} absent,
 * {@code same-origin} or {@code none}). Such a request is stateless (Basic authentication creates no session) and
 * its credentials are not an ambient cookie: a forged cross-site request cannot set that header, and the one case
 * where a browser adds it by itself (credentials it cached after a Basic prompt) is sent with
 * {@code Sec-Fetch-Site: cross-site} by every current browser and so keeps needing a token. Browser requests with
 * the session cookie (the pages' forms, htmx) always need the token.</li>
 * </ul>
 */
@ServerMode
@Configuration(proxyBeanMethods = false)
class WebSecurityConfiguration {

    static final String REALM = "Club Anonymiser";

    @Bean
    PasswordEncoder passwordEncoder() {
        // {bcrypt}… as the demo users are stored; {noop} and others are understood too (SPEC §1's {id}hash format).
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    AppUserDetailsService appUserDetailsService(JdbcTemplate jdbcTemplate, UserAccess userAccess) {
        return new AppUserDetailsService(jdbcTemplate, userAccess);
    }

    @Bean
    CurrentUser currentUser(UserAccess userAccess) {
        return new CurrentUser(userAccess);
    }

    @Bean
    DenialLogging denialLogging(UserAccess userAccess) {
        return new DenialLogging(userAccess);
    }

    @Bean
    SecurityFilterChain webSecurityFilterChain(HttpSecurity http, DenialLogging denialLogging) throws Exception {
        RequestMatcher api = PathPatternRequestMatcher.pathPattern("/api/**");
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName(REALM);
        basic.afterPropertiesSet();
        // Only pages are remembered to return to after the login form: an API call never creates a session.
        HttpSessionRequestCache pagesOnly = new HttpSessionRequestCache();
        pagesOnly.setRequestMatcher(new NegatedRequestMatcher(api));
        http.requestCache(cache -> cache.requestCache(pagesOnly));
        http.authorizeHttpRequests(requests -> requests
            .requestMatchers("/login", "/css/**", "/js/**", "/favicon.ico", "/error").permitAll()
            .requestMatchers("/actuator/health", "/actuator/info", "/actuator/prometheus").permitAll()
            .anyRequest().hasAuthority(AppUserDetailsService.MASS_ANONYMISATION))
            .httpBasic(httpBasic -> httpBasic.realmName(REALM).authenticationEntryPoint(
                    denialLogging.unauthenticated(basic)))
            .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/exports", false).permitAll())
            .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
            .csrf(csrf -> csrf.ignoringRequestMatchers(WebSecurityConfiguration::statelessBasicApiCall))
            .exceptionHandling(exceptions -> exceptions
                .defaultAuthenticationEntryPointFor(denialLogging.unauthenticated(basic), api)
                .defaultAuthenticationEntryPointFor(
                        denialLogging.unauthenticated(new LoginUrlAuthenticationEntryPoint("/login")),
                        request -> true)
                .accessDeniedHandler(denialLogging.forbidden()));
        return http.build();
    }

    /**
     * The CSRF exemption explained in the class comment; also exempt: an API call with no credentials at all (no
     * Authorization header, no session), which can only be refused, so that it gets its 401 rather than a 403.
     */
    static boolean statelessBasicApiCall(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith("/api/")) {
            return false;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            return request.getRequestedSessionId() == null && request.getSession(false) == null;
        }
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        return authorization.regionMatches(true, 0, "Basic ", 0, 6)
                && (fetchSite == null || "same-origin".equals(fetchSite) || "none".equals(fetchSite));
    }
}
