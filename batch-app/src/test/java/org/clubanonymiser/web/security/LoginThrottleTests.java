package org.clubanonymiser.web.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.clubanonymiser.support.UserAccess;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LoginThrottle}'s rules on a clock the test moves (no sleeping): free failures, a lock doubling up to the
 * maximum, unlocking when it ends, forgetting old failures, a success clearing the username only.
 */
class LoginThrottleTests {

    static final class MovableClock extends Clock {

        Instant now = Instant.parse("2026-12-06T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final MovableClock clock = new MovableClock();

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** 3 free failures per username, 5 per address, locks from 1 s to 10 s, failures forgotten after 30 min. */
    LoginThrottle throttle(boolean enabled) {
        UserAccess nobodyKnown = new UserAccess(username -> Optional.empty());
        return new LoginThrottle(new LoginThrottleProperties(enabled, 3, 5, Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ofMinutes(30)), clock, nobodyKnown, registry);
    }

    static void fail(LoginThrottle throttle, String username, String address) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr(address);
        UsernamePasswordAuthenticationToken attempt = UsernamePasswordAuthenticationToken.unauthenticated(username,
                "wrong");
        attempt.setDetails(new WebAuthenticationDetails(request));
        throttle.failed(new AuthenticationFailureBadCredentialsEvent(attempt, new BadCredentialsException("bad")));
    }

    double failures() {
        return registry.find(LoginThrottle.FAILURES).tag("outcome", "bad_credentials").counter().count();
    }

    @Test
    void aUsernameIsLockedAfterItsFreeFailuresForTwiceAsLongEachTimeUpToTheMaximum() {
        LoginThrottle throttle = throttle(true);
        fail(throttle, "ann", "10.0.0.1");
        fail(throttle, "ann", "10.0.0.2");
        assertThat(throttle.lockedFor("ann", "10.0.0.3")).isEmpty();

        fail(throttle, "ann", "10.0.0.3");
        assertThat(throttle.lockedFor("ANN ", "10.0.0.9")).contains(Duration.ofSeconds(1));
        assertThat(throttle.lockedFor("bob", "10.0.0.9")).isEmpty();

        clock.advance(Duration.ofMillis(1001));
        assertThat(throttle.lockedFor("ann", "10.0.0.9")).isEmpty();
        fail(throttle, "ann", "10.0.0.4");
        assertThat(throttle.lockedFor("ann", "10.0.0.9")).contains(Duration.ofSeconds(2));
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMinutes(1));
            fail(throttle, "ann", "10.0.0." + (10 + i));
        }
        assertThat(throttle.lockedFor("ann", "10.0.0.9")).contains(Duration.ofSeconds(10));
        assertThat(failures()).isEqualTo(14);
    }

    @Test
    void anAddressIsLockedAfterItsOwnFreeFailuresWhateverTheUsernames() {
        LoginThrottle throttle = throttle(true);
        for (int i = 0; i < 4; i++) {
            fail(throttle, "user" + i, "10.0.0.1");
        }
        assertThat(throttle.lockedFor("anyone", "10.0.0.1")).isEmpty();
        fail(throttle, "user4", "10.0.0.1");
        assertThat(throttle.lockedFor("anyone", "10.0.0.1")).contains(Duration.ofSeconds(1));
        assertThat(throttle.lockedFor("anyone", "10.0.0.2")).isEmpty();
    }

    @Test
    void oldFailuresAreForgottenAndASuccessClearsTheUsernameButNotTheAddress() {
        LoginThrottle throttle = throttle(true);
        fail(throttle, "ann", "10.0.0.1");
        fail(throttle, "ann", "10.0.0.1");
        clock.advance(Duration.ofMinutes(31));
        fail(throttle, "ann", "10.0.0.1");
        assertThat(throttle.lockedFor("ann", "10.0.0.2")).isEmpty();

        fail(throttle, "ann", "10.0.0.1");
        throttle.succeeded(new AuthenticationSuccessEvent(
                UsernamePasswordAuthenticationToken.authenticated("ann", null, List.of())));
        fail(throttle, "ann", "10.0.0.1");
        assertThat(throttle.lockedFor("ann", "10.0.0.2")).isEmpty();
        // The address kept counting since the forgetting: its fifth failure locks it.
        fail(throttle, "bob", "10.0.0.1");
        assertThat(throttle.lockedFor("carl", "10.0.0.1")).isEmpty();
        fail(throttle, "dan", "10.0.0.1");
        assertThat(throttle.lockedFor("carl", "10.0.0.1")).contains(Duration.ofSeconds(1));
    }

    @Test
    void disabledItNeverLocksButStillCounts() {
        LoginThrottle throttle = throttle(false);
        for (int i = 0; i < 20; i++) {
            fail(throttle, "ann", "10.0.0.1");
        }
        assertThat(throttle.lockedFor("ann", "10.0.0.1")).isEmpty();
        assertThat(failures()).isEqualTo(20);
    }
}
