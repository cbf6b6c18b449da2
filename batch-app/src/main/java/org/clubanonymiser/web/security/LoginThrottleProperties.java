package org.clubanonymiser.web.security;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Throttling of failed sign-ins, HTTP Basic and the login form alike ({@code anonymiser.web.login-throttle.*}). Failures
 * are counted per username and per client address; past the free ones, each further failure locks that username (or
 * address) for twice as long as the previous one, from {@code firstLock} up to {@code maxLock}. While locked, sign-ins
 * are refused (429) without checking the password, the right one included.
 *
 * @param enabled              {@code false} turns throttling off (default on)
 * @param freeUserFailures     failures in a row of one username before it is locked (default 5)
 * @param freeAddressFailures  failures from one client address before it is locked (default 20: an office behind one
 *                             NAT address shares it)
 * @param firstLock            the first lock (default 1s); doubled at each further failure
 * @param maxLock              the longest lock (default 15m)
 * @param forgetAfter          failures older than this are forgotten, and a success forgets the username's (default 1h)
 */
@Validated
@ConfigurationProperties("anonymiser.web.login-throttle")
public record LoginThrottleProperties(
        @DefaultValue("true") boolean enabled,
        @Min(1) @DefaultValue("5") int freeUserFailures,
        @Min(1) @DefaultValue("20") int freeAddressFailures,
        @NotNull @DefaultValue("1s") Duration firstLock,
        @NotNull @DefaultValue("15m") Duration maxLock,
        @NotNull @DefaultValue("1h") Duration forgetAfter) {

    @AssertTrue(message = "first-lock must be positive, max-lock at least first-lock, forget-after at least max-lock")
    public boolean isConsistent() {
        return firstLock == null || maxLock == null || forgetAfter == null
                || (!firstLock.isNegative() && !firstLock.isZero() && maxLock.compareTo(firstLock) >= 0 && forgetAfter.compareTo(maxLock) >= 0);
    }
}
