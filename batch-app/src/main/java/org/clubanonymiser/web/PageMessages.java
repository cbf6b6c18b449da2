package org.clubanonymiser.web;

import java.util.Optional;
import java.util.function.Supplier;

import org.clubanonymiser.web.security.DenialLogging;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The one-line notice or error a page shows after a form: resolved here, in the request's language, from the same
 * {@code messages} as the API's errors ({@code error.<code>}).
 */
public class PageMessages {

    private final MessageSource messages;

    private final DenialLogging denialLogging;

    public PageMessages(MessageSource messages, DenialLogging denialLogging) {
        this.messages = messages;
        this.denialLogging = denialLogging;
    }

    /**
     * A form refused by an access rule: logged as every refusal is ({@link DenialLogging}: method, path, code, user
     * id), then shown as the API would answer it (an unknown id for another club's record).
     */
    public void refused(RedirectAttributes redirect, AccessRefusedException refusal) {
        ApiException answer = RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? denialLogging.answer(attributes.getRequest(), refusal) : refusal.answer();
        error(redirect, answer.code(), answer.arguments());
    }

    /**
     * Runs a form's action: its result, or empty when it was refused, the refusal then shown as the page's error
     * ({@link #refused} for an access rule, logged as every refusal is).
     */
    public <T> Optional<T> attempt(RedirectAttributes redirect, Supplier<T> action) {
        try {
            return Optional.of(action.get());
        }
        catch (ApiException ex) {
            error(redirect, ex.code(), ex.arguments());
        }
        catch (AccessRefusedException ex) {
            refused(redirect, ex);
        }
        return Optional.empty();
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
