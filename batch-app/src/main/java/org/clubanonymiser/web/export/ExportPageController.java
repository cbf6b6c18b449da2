package org.clubanonymiser.web.export;

import java.time.LocalDate;

import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.exportrecord.ExportStatus;
import org.clubanonymiser.web.PageMessages;
import org.clubanonymiser.web.ServerMode;
import org.clubanonymiser.web.security.CurrentUser;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Export page (the seed's "Export" tab): the "New export" form, the list with its filter bar, each export's
 * exported / anonymised / rejected / still open rows, live progress while one runs (app.js polls the export's JSON and
 * has htmx render the list again when it ends), download and delete icons. Same service, and so the same checks, as
 * the API.
 */
@ServerMode
@Controller
class ExportPageController {

    private final Exports exports;

    private final PageMessages messages;

    private final CurrentUser currentUser;

    ExportPageController(Exports exports, PageMessages messages, CurrentUser currentUser) {
        this.exports = exports;
        this.messages = messages;
        this.currentUser = currentUser;
    }

    @GetMapping("/exports")
    String page(Filter filter, Model model) {
        model.addAttribute("clubs", currentUser.clubList());
        model.addAttribute("months", InactivityPeriod.ALLOWED_MONTHS);
        model.addAttribute("defaultMonths", InactivityPeriod.DEFAULT_MONTHS);
        model.addAttribute("statuses", ExportStatus.values());
        rows(filter, model);
        return "exports";
    }

    /** The list alone, rendered again (htmx) when app.js sees that a running export has ended. */
    @GetMapping("/exports/rows")
    String rows(Filter filter, Model model) {
        model.addAttribute("exports",
                exports.list(filter.name(), filter.clubId(), filter.status(), filter.from(), filter.to()));
        model.addAttribute("filter", filter);
        return "exports :: rows";
    }

    @PostMapping("/exports")
    String create(@RequestParam(required = false) String name, @RequestParam(required = false) Long clubId,
            @RequestParam(required = false) Integer inactivityMonths, RedirectAttributes redirect) {
        messages.attempt(redirect, () -> exports.create(new Exports.NewExport(name, clubId, inactivityMonths)))
            .ifPresent(export -> messages.notice(redirect, "export.created", export.id()));
        return "redirect:/exports";
    }

    @PostMapping("/exports/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes redirect) {
        messages.attempt(redirect, () -> exports.delete(id))
            .ifPresent(deleted -> messages.notice(redirect, "export.deleted", id));
        return "redirect:/exports";
    }

    /** The filter bar's values (bound from the request's parameters), echoed back into the form and the refresh URL. */
    public record Filter(String name, Long clubId, ExportStatus status,
            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {

        public boolean active() {
            return (name != null && !name.isBlank()) || clubId != null || status != null || from != null
                    || to != null;
        }
    }
}
