package org.clubanonymiser.web.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a sign-in attempt while {@link LoginThrottle} has its username or client address locked, before the
 * password is checked: a request with {@code Authorization: Basic} gets 429 {@code LOGIN_THROTTLED} (JSON, as the
 * API's errors, with {@code Retry-After}); a login form post is sent back to {@code /login?locked}. The answer is the
 * same for an unknown username. Requests that do not try to sign in pass untouched.
 */
class LoginThrottleFilter extends OncePerRequestFilter {

    static final String CODE = "LOGIN_THROTTLED";

    private final LoginThrottle throttle;

    private final MessageSource messages;

    LoginThrottleFilter(LoginThrottle throttle, MessageSource messages) {
        this.throttle = throttle;
        this.messages = messages;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean form = isLoginForm(request);
        String username = form ? request.getParameter("username") : basicUsername(request);
        if (username == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Duration> wait = throttle.lockedFor(username, request.getRemoteAddr());
        if (wait.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        throttle.refused(request.getRemoteAddr(), wait.get());
        long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
        if (form) {
            response.sendRedirect(request.getContextPath() + "/login?locked");
            return;
        }
        String message = messages.getMessage("error." + CODE, new Object[] { seconds }, CODE, request.getLocale());
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"status\":429,\"code\":\"" + CODE + "\",\"message\":\"" + json(message) + "\"}");
    }

    private static boolean isLoginForm(HttpServletRequest request) {
        return "POST".equals(request.getMethod())
                && "/login".equals(request.getRequestURI().substring(request.getContextPath().length()));
    }

    /** The username of a well-formed Basic header; null otherwise (the Basic filter then answers as usual). */
    private static String basicUsername(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
