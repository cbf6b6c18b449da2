package org.clubanonymiser.web.security;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.clubanonymiser.support.UserAccess;
import org.clubanonymiser.web.AccessRefusedException;
import org.clubanonymiser.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;

/**
 * Logs every refused request, then lets the usual handler answer. A log line names the method, the path (ids only:
 * the UI and API paths hold no names), the reason code and the user's numeric id, never a username, a password or
 * anything read from a member. Thread-safe.
 */
public class DenialLogging {

    private static final Logger log = LoggerFactory.getLogger(DenialLogging.class);

    private final UserAccess userAccess;

    DenialLogging(UserAccess userAccess) {
        this.userAccess = userAccess;
    }

    /** Logs the refusal, then gives what the client is told ({@link AccessRefusedException#answer()}). */
    public ApiException answer(HttpServletRequest request, AccessRefusedException refusal) {
        refused(request, refusal.decision().name());
        return refusal.answer();
    }

    /** Logs a refusal decided by the web layer (a club check, a missing right). */
    public void refused(HttpServletRequest request, String reason) {
        log.warn("Refused {} {} for user {}: {}", request.getMethod(), path(request), userId(), reason);
    }

    AuthenticationEntryPoint unauthenticated(AuthenticationEntryPoint delegate) {
        return (request, response, exception) -> {
            // Which username was tried is not logged: it may be a person's name, or a password typed in the wrong box.
            log.warn("Refused {} {}: not authenticated ({})", request.getMethod(), path(request),
                    request.getHeader("Authorization") == null ? "no credentials" : "bad credentials");
            delegate.commence(request, response, exception);
        };
    }

    AccessDeniedHandler forbidden() {
        AccessDeniedHandlerImpl delegate = new AccessDeniedHandlerImpl();
        return new AccessDeniedHandler() {

            @Override
            public void handle(HttpServletRequest request, HttpServletResponse response,
                    org.springframework.security.access.AccessDeniedException exception)
                    throws IOException, ServletException {
                refused(request, exception.getClass().getSimpleName().contains("Csrf") ? "CSRF_TOKEN"
                        : "PERMISSION_DENIED");
                delegate.handle(request, response, exception);
            }
        };
    }

    private String userId() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            return "-";
        }
        return userAccess.find(authentication.getName()).map(user -> "#" + user.id()).orElse("-");
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
