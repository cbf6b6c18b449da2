package org.clubanonymiser.web.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.clubanonymiser.support.UserAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Brute-force protection of sign-in ({@link LoginThrottleProperties}): counts failed sign-ins per username and per
 * client address, from Spring Security's authentication events (Basic and form alike), and tells
 * {@link LoginThrottleFilter} how long an attempt must still wait. Unknown usernames are counted exactly as known
 * ones, so a lock says nothing about whether a user exists.
 * <p>
 * Each failure is logged (WARN) with the client address and the user's numeric id ("unknown user" otherwise), never
 * the username or the password; the counter {@value #FAILURES} has one tag, {@code outcome} ({@code bad_credentials}
 * or {@code throttled}), never a username. State is in memory, per process (a restart forgets it), bounded by
 * forgetting entries older than {@code forgetAfter}. Thread-safe.
 */
public class LoginThrottle {

    /** The Micrometer counter of failed and throttled sign-ins. */
    public static final String FAILURES = "anonymiser.login.failures";

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    /** Past this many entries, expired ones are swept on the next failure. */
    private static final int SWEEP_ABOVE = 10_000;

    private final LoginThrottleProperties properties;

    private final Clock clock;

    private final UserAccess userAccess;

    private final Counter badCredentials;

    private final Counter throttled;

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    /** The failures in a row of one username or address, and until when it is locked. */
    record Failures(int count, Instant last, Instant lockedUntil) {
    }

    public LoginThrottle(LoginThrottleProperties properties, Clock clock, UserAccess userAccess,
            MeterRegistry meterRegistry) {
        this.properties = properties;
        this.clock = clock;
        this.userAccess = userAccess;
        this.badCredentials = Counter.builder(FAILURES).tag("outcome", "bad_credentials")
            .description("Failed sign-ins (wrong or unknown username or password)").register(meterRegistry);
        this.throttled = Counter.builder(FAILURES).tag("outcome", "throttled")
            .description("Sign-ins refused while their username or address was locked").register(meterRegistry);
    }

    /** How long a sign-in as {@code username} from {@code address} must still wait; empty when it may go ahead. */
    public Optional<Duration> lockedFor(String username, String address) {
        if (!properties.enabled()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant until = later(lockedUntil(userKey(username), now), lockedUntil(addressKey(address), now));
        return until == null ? Optional.empty() : Optional.of(Duration.between(now, until));
    }

    /** Called when an attempt is refused because it is locked. */
    void refused(String address, Duration wait) {
        throttled.increment();
        log.warn("Sign-in refused from {}: too many failed sign-ins, locked for {} s more", address,
                Math.max(1, wait.toSeconds()));
    }

    @EventListener
    void failed(AbstractAuthenticationFailureEvent event) {
        Authentication attempt = event.getAuthentication();
        String address = address(attempt);
        badCredentials.increment();
        if (!properties.enabled()) {
            log.warn("Sign-in failed from {} for {}", address, who(attempt.getName()));
            return;
        }
        Instant now = clock.instant();
        Failures user = fail(userKey(attempt.getName()), properties.freeUserFailures(), now);
        Failures from = fail(addressKey(address), properties.freeAddressFailures(), now);
        Instant until = later(user.lockedUntil(), from.lockedUntil());
        log.warn("Sign-in failed from {} for {} ({} failures in a row for this username, {} from this address){}",
                address, who(attempt.getName()), user.count(), from.count(),
                until == null ? "" : ": locked for " + Duration.between(now, until).toSeconds() + " s");
        if (failures.size() > SWEEP_ABOVE) {
            failures.values().removeIf(f -> forgotten(f, now));
        }
    }

    @EventListener
    void succeeded(AuthenticationSuccessEvent event) {
        // Only the username's failures: an attacker who owns one account cannot clear their address this way.
        failures.remove(userKey(event.getAuthentication().getName()));
    }

    private Failures fail(String key, int free, Instant now) {
        return failures.compute(key, (k, old) -> {
            int count = old == null || forgotten(old, now) ? 1 : old.count() + 1;
            Instant lockedUntil = count < free ? null : now.plus(lock(count - free));
            return new Failures(count, now, lockedUntil);
        });
    }

    /** The lock after {@code beyond} failures past the free ones (0: the first lock), doubling up to the maximum. */
    Duration lock(int beyond) {
        Duration lock = properties.firstLock();
        for (int i = 0; i < beyond && lock.compareTo(properties.maxLock()) < 0; i++) {
            lock = lock.multipliedBy(2);
        }
        return lock.compareTo(properties.maxLock()) > 0 ? properties.maxLock() : lock;
    }

    private Instant lockedUntil(String key, Instant now) {
        Failures entry = failures.get(key);
        return entry == null || entry.lockedUntil() == null || !entry.lockedUntil().isAfter(now) ? null
                : entry.lockedUntil();
    }

    private boolean forgotten(Failures entry, Instant now) {
        return entry.last().plus(properties.forgetAfter()).isBefore(now)
                && (entry.lockedUntil() == null || entry.lockedUntil().isBefore(now));
    }

    private String who(String username) {
        return userAccess.find(username).map(user -> "user #" + user.id()).orElse("an unknown user");
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static String userKey(String username) {
        return "user:" + (username == null ? "" : username.strip().toLowerCase(Locale.ROOT));
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    private static String address(Authentication attempt) {
        return attempt.getDetails() instanceof WebAuthenticationDetails details && details.getRemoteAddress() != null
                ? details.getRemoteAddress() : "unknown";
    }
}
