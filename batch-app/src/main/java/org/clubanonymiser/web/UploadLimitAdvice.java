package org.clubanonymiser.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * An upload above {@code anonymiser.import.max-file-size} is refused while the request is parsed, before any
 * controller is chosen (so no controller-specific advice sees it): the API answers 413 with its JSON error, the Import
 * page comes back with the message.
 */
@ServerMode
@Order(2)
@ControllerAdvice
class UploadLimitAdvice {

    private final PageMessages messages;

    UploadLimitAdvice(PageMessages messages) {
        this.messages = messages;
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    Object tooLarge(HttpServletRequest request, HttpServletResponse response) {
        String text = messages.errorText("FILE_TOO_LARGE");
        if (request.getRequestURI().substring(request.getContextPath().length()).startsWith("/api/")) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .body(new ApiExceptionHandler.ApiError(HttpStatus.CONTENT_TOO_LARGE.value(), "FILE_TOO_LARGE", text));
        }
        RequestContextUtils.getOutputFlashMap(request).put("error", text);
        RequestContextUtils.saveOutputFlashMap("/imports", request, response);
        return "redirect:/imports";
    }
}
