package org.clubanonymiser.web;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.clubanonymiser.web.security.DenialLogging;

import org.springframework.context.MessageSource;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * The API's errors as JSON {@code {"status", "code", "message"}}: the code is stable for scripts, the message is
 * {@code error.<code>} in the request's language (FR/EN). Refusals are logged by {@link DenialLogging}.
 */
@ServerMode
@Order(0)
@RestControllerAdvice(annotations = RestController.class)
class ApiExceptionHandler {

    /** The body of an API error. */
    record ApiError(int status, String code, String message) {
    }

    private final MessageSource messages;

    private final DenialLogging denialLogging;

    ApiExceptionHandler(MessageSource messages, DenialLogging denialLogging) {
        this.messages = messages;
        this.denialLogging = denialLogging;
    }

    @ExceptionHandler(AccessRefusedException.class)
    ResponseEntity<ApiError> refused(AccessRefusedException ex, HttpServletRequest request, Locale locale) {
        return api(denialLogging.answer(request, ex), locale);
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException ex, Locale locale) {
        return error(ex.status(), ex.code(), ex.arguments(), locale);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ApiError> tooLarge(Locale locale) {
        return error(HttpStatus.CONTENT_TOO_LARGE, "FILE_TOO_LARGE", new Object[0], locale);
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ApiError> badUpload(Locale locale) {
        return error(HttpStatus.BAD_REQUEST, "FILE_REQUIRED", new Object[0], locale);
    }

    private ResponseEntity<ApiError> error(HttpStatus status, String code, Object[] arguments, Locale locale) {
        String message = messages.getMessage("error." + code, arguments, code, locale);
        return ResponseEntity.status(status).body(new ApiError(status.value(), code, message));
    }
}
