package org.clubanonymiser.web.security;

import java.time.Clock;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;

import org.clubanonymiser.support.UserAccess;
import org.clubanonymiser.support.account.ClubRepository;
import org.clubanonymiser.support.account.UserAccountRepository;
import org.clubanonymiser.web.ServerMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who reaches the UI and the API (docs/web-api.md):
 * <ul>
 * <li>logins are {@code app_user} rows ({@link AppUserDetailsService}); scripts send HTTP Basic, browsers use the
 * login form (a session); stored hashes must be {@code {bcrypt}} or {@code {pbkdf2@SpringSecurity_v5_8}}: a
 * {@code {noop}}, {@code {MD5}} or other weak or unknown one never matches ({@link #passwordEncoder()});</li>
 * <li>failed sign-ins are throttled per username and per client address ({@link LoginThrottle}: 429, or the login
 * page's lock message);</li>
 * <li>every page and {@code /api/**} needs {@value AppUserDetailsService#MASS_ANONYMISATION} (ADMIN or granted);
 * clubs are checked per request by {@link CurrentUser}; only the login page, static files and the actuator's
 * health, info and prometheus are open (the actuator is served on its own port, bound to 127.0.0.1 by default:
 * {@code management.server.*});</li>
 * <li>unauthenticated: {@code /api/**} answers 401 with a Basic challenge, pages redirect to the login form;
 * forbidden: 403; every denial is logged by {@link DenialLogging} without personal data;</li>
 * <li>CSRF protection is on, with one exemption: a request to {@code /api/**} carrying its own
 * {@code Authorization: Basic} header, <em>no session cookie</em>, and not sent cross-site by a browser
 * ({@code Sec-Fetch-Site} absent, {@code same-origin} or {@code none}). Such a request is stateless (Basic
 * authentication creates no session) and its credentials are not an ambient cookie: a forged cross-site request
 * cannot set that header, and the one case where a browser adds it by itself (credentials it cached after a Basic
 * prompt) is sent with {@code Sec-Fetch-Site: cross-site} by every current browser and so keeps needing a token. A
 * request that also carries a session cookie needs the token whatever its Basic header says: Spring's Basic filter
 * does not check the password again when the session's user has the same name, so a wrong password would
 * otherwise ride on the session;</li>
 * <li>headers: a Content-Security-Policy ({@value #CONTENT_SECURITY_POLICY}) and {@code Referrer-Policy:
 * same-origin}, besides Spring Security's defaults; the session cookie is {@code SameSite=Lax} and
 * {@code HttpOnly} ({@code application.yml}) and {@code Secure} whenever the request came over TLS (the servlet
 * container marks it so; behind a TLS proxy, {@code server.forward-headers-strategy=native}).</li>
 * </ul>
 */
@ServerMode
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LoginThrottleProperties.class)
class WebSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WebSecurityConfiguration.class);

    static final String REALM = "Club Anonymiser";

    /** Scripts, styles, images and forms from this server only; no frame, no plugin, no inline script. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /**
     * The schema's {@code {id}hash} format, with strong hashes only: {@code {bcrypt}} (the demo users' and the default
     * for new ones) and PBKDF2. Any other id ({@code {noop}}, {@code {MD5}}, {@code {SHA-1}}…) or none never
     * matches: that user cannot sign in until an admin stores a proper hash (a WARN line says why, without the user).
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        DelegatingPasswordEncoder encoder = new DelegatingPasswordEncoder("bcrypt",
                Map.of("bcrypt", new BCryptPasswordEncoder(), "pbkdf2@SpringSecurity_v5_8",
                        Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8()));
        encoder.setDefaultPasswordEncoderForMatches(new PasswordEncoder() {

            @Override
            public String encode(CharSequence rawPassword) {
                throw new UnsupportedOperationException("Only {bcrypt} and {pbkdf2@SpringSecurity_v5_8} are written");
            }

            @Override
            public boolean matches(CharSequence rawPassword, String encodedPassword) {
                log.warn("A sign-in met a password hash that is weak or of an unknown kind ({noop}, {MD5}…):"
                        + " refused; store a {bcrypt} hash for that user");
                return false;
            }
        });
        return encoder;
    }

    @Bean
    LoginThrottle loginThrottle(LoginThrottleProperties loginThrottleProperties, Clock clock, UserAccess userAccess,
            MeterRegistry meterRegistry) {
        return new LoginThrottle(loginThrottleProperties, clock, userAccess, meterRegistry);
    }

    /** Spring Security's authentication events, which {@link LoginThrottle} counts (declared: not left to chance). */
    @Bean
    AuthenticationEventPublisher authenticationEventPublisher(ApplicationEventPublisher applicationEventPublisher) {
        return new DefaultAuthenticationEventPublisher(applicationEventPublisher);
    }

    @Bean
    AppUserDetailsService appUserDetailsService(UserAccountRepository userAccountRepository) {
        return new AppUserDetailsService(userAccountRepository);
    }

    @Bean
    CurrentUser currentUser(UserAccess userAccess, ClubRepository clubRepository) {
        return new CurrentUser(userAccess, clubRepository);
    }

    @Bean
    DenialLogging denialLogging(UserAccess userAccess) {
        return new DenialLogging(userAccess);
    }

    @Bean
    SecurityFilterChain webSecurityFilterChain(HttpSecurity http, DenialLogging denialLogging,
            LoginThrottle loginThrottle, MessageSource messageSource) throws Exception {
        RequestMatcher api = PathPatternRequestMatcher.pathPattern("/api/**");
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName(REALM);
        basic.afterPropertiesSet();
        // Only pages are remembered to return to after the login form: an API call never creates a session.
        HttpSessionRequestCache pagesOnly = new HttpSessionRequestCache();
        pagesOnly.setRequestMatcher(new NegatedRequestMatcher(api));
        http.requestCache(cache -> cache.requestCache(pagesOnly));
        // Before the form login's and the Basic filter: a locked attempt is refused before its password is checked.
        http.addFilterBefore(new LoginThrottleFilter(loginThrottle, messageSource),
                UsernamePasswordAuthenticationFilter.class);
        http.headers(headers -> headers
            .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
            .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)));
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
     * Whenever the request carries a session cookie (valid or not) or has a session, it is not exempt.
     */
    static boolean statelessBasicApiCall(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith("/api/")) {
            return false;
        }
        if (request.getRequestedSessionId() != null || request.getSession(false) != null) {
            return false;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            return true;
        }
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        return authorization.regionMatches(true, 0, "Basic ", 0, 6)
                && (fetchSite == null || "same-origin".equals(fetchSite) || "none".equals(fetchSite));
    }
}
