package org.clubanonymiser.web.importing;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.clubanonymiser.importing.ImportProperties;
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
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Import page (the seed's "Import" tab): drag-and-drop (or click) upload with the "I reviewed this file"
 * confirmation, the list with its filter bar, live progress and final-state icons (success, with errors, failed with
 * its reason), the error file download and a restart button on failures; and each import's own page, which guides
 * the correction loop. Same service, and so the same checks, as the API.
 */
@ServerMode
@Controller
class ImportPageController {

    static final List<String> STATUSES = List.of("RUNNING", "COMPLETED", "COMPLETED_WITH_ERRORS", "FAILED");

    private final Imports imports;

    private final CurrentUser currentUser;

    private final PageMessages messages;

    private final long maxUploadBytes;

    ImportPageController(Imports imports, CurrentUser currentUser, PageMessages messages, ImportProperties properties) {
        this.imports = imports;
        this.currentUser = currentUser;
        this.messages = messages;
        this.maxUploadBytes = properties.maxFileSize().toBytes();
    }

    @GetMapping("/imports")
    String page(Filter filter, Model model) {
        model.addAttribute("clubs", currentUser.clubList());
        model.addAttribute("statuses", STATUSES);
        // The page says "too large" before sending it (the server refuses it anyway, with a bare 413).
        model.addAttribute("maxUploadBytes", maxUploadBytes);
        rows(filter, model);
        return "imports";
    }

    /** The list alone, rendered again (htmx) when app.js sees that a running import has ended. */
    @GetMapping("/imports/rows")
    String rows(Filter filter, Model model) {
        model.addAttribute("imports", imports.list(filter.status(), null, filter.clubId(), filter.from(), filter.to()));
        model.addAttribute("filter", filter);
        return "imports :: rows";
    }

    /**
     * One import: its progress while it runs, its counts, the rejected rows per code, a loud alert when no row was
     * anonymised, and, after a COMPLETED_WITH_ERRORS import whose export can still be imported, the form for the
     * corrected file.
     */
    @GetMapping("/imports/{id}")
    String one(@PathVariable long id, Model model) {
        panel(id, model);
        return "import";
    }

    /** The import's panel alone, rendered again by the page once the import has ended. */
    @GetMapping("/imports/{id}/panel")
    String panel(@PathVariable long id, Model model) {
        model.addAttribute("item", imports.get(id));
        model.addAttribute("maxUploadBytes", maxUploadBytes);
        return "import :: panel";
    }

    /**
     * The upload of both pages: from the list it returns to the list; the corrected file of import
     * {@code correcting} goes on to the new import's page.
     */
    @PostMapping("/imports")
    String upload(@RequestParam(name = "file", required = false) MultipartFile file,
            @RequestParam(defaultValue = "false") boolean reviewed, @RequestParam(defaultValue = "false") boolean dryRun,
            @RequestParam(required = false) Long correcting, RedirectAttributes redirect) {
        String back = correcting == null ? "redirect:/imports" : "redirect:/imports/" + correcting;
        if (!reviewed) {
            messages.error(redirect, "REVIEW_REQUIRED");
            return back;
        }
        return act(() -> imports.upload(file, dryRun), "import.started",
                view -> correcting == null ? back : "redirect:/imports/" + view.id(), back, redirect);
    }

    @PostMapping("/imports/{id}/restart")
    String restart(@PathVariable long id, RedirectAttributes redirect) {
        return act(() -> imports.restart(id), "import.restarted", redirect);
    }

    private String act(Supplier<ImportView> action, String notice, RedirectAttributes redirect) {
        return act(action, notice, view -> "redirect:/imports", "redirect:/imports", redirect);
    }

    private String act(Supplier<ImportView> action, String notice, Function<ImportView, String> then,
            String otherwise, RedirectAttributes redirect) {
        return messages.attempt(redirect, action).map(view -> {
            messages.notice(redirect, notice, view.id());
            return then.apply(view);
        }).orElse(otherwise);
    }

    /** The filter bar's values, bound from the request's parameters; a blank status is no status. */
    public record Filter(String status, Long clubId, @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {

        public Filter {
            status = status == null || status.isBlank() ? null : status;
        }

        public boolean active() {
            return status != null || clubId != null || from != null || to != null;
        }
    }
}
