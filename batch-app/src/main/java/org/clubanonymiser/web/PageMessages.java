package org.clubanonymiser.web;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The one-line notice or error a page shows after a form: resolved here, in the request's language, from the same
 * {@code messages} as the API's errors ({@code error.<code>}).
 */
public class PageMessages {

    private final MessageSource messages;

    public PageMessages(MessageSource messages) {
        this.messages = messages;
    }

    public void notice(RedirectAttributes redirect, String key, Object... arguments) {
        redirect.addFlashAttribute("notice", text(key, arguments));
    }

    public void error(RedirectAttributes redirect, String code, Object... arguments) {
        redirect.addFlashAttribute("error", errorText(code, arguments));
    }

    public String errorText(String code, Object... arguments) {
        return text("error." + code, arguments);
    }

    private String text(String key, Object... arguments) {
        return messages.getMessage(key, arguments, key, LocaleContextHolder.getLocale());
    }
}
