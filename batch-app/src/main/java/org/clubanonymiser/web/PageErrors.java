package org.clubanonymiser.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.clubanonymiser.web.security.DenialLogging;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Refusals met while rendering a page (a foreign club in a filter, a missing right, an unknown id): the "refused"
 * page with the reason in plain words, and the HTTP status. Form submissions handle their own refusals (a message on
 * the page they return to).
 */
@ServerMode
@Order(1)
@ControllerAdvice(annotations = Controller.class)
class PageErrors {

    private final DenialLogging denialLogging;

    private final PageMessages messages;

    PageErrors(DenialLogging denialLogging, PageMessages messages) {
        this.denialLogging = denialLogging;
        this.messages = messages;
    }

    @ExceptionHandler(AccessRefusedException.class)
    String refused(AccessRefusedException ex, HttpServletRequest request, HttpServletResponse response, Model model) {
        return api(denialLogging.answer(request, ex), response, model);
    }

    @ExceptionHandler(ApiException.class)
    String api(ApiException ex, HttpServletResponse response, Model model) {
        response.setStatus(ex.status().value());
        model.addAttribute("error", messages.errorText(ex.code(), ex.arguments()));
        return "refused";
    }
}
