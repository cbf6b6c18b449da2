package org.clubanonymiser.web.members;

import org.clubanonymiser.anonymisation.SingleAnonymisation;
import org.clubanonymiser.anonymisation.SingleMemberAnonymiser;
import org.clubanonymiser.anonymisation.SingleMemberAnonymiser.Channel;
import org.clubanonymiser.web.AccessRefusedException;
import org.clubanonymiser.web.ApiException;
import org.clubanonymiser.web.PageMessages;
import org.clubanonymiser.web.ServerMode;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Members page (the seed's member record and its "Anonymiser le client" button): a search by member number or
 * name within the user's clubs, posted (so what was searched for never appears in a URL or a log) and paged; a
 * member's page with the button and a confirmation naming the consequences. Same service, so the same rules, as the
 * API.
 */
@ServerMode
@Controller
class MemberPageController {

    private final Members members;

    private final PageMessages messages;

    MemberPageController(Members members, PageMessages messages) {
        this.members = members;
        this.messages = messages;
    }

    @GetMapping("/members")
    String page(Model model) {
        model.addAttribute("results", null);
        return "members";
    }

    @PostMapping("/members/search")
    String search(@RequestParam(required = false) String number, @RequestParam(required = false) String name,
            @RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("results", members.search(number, name, page));
        model.addAttribute("number", number);
        model.addAttribute("name", name);
        return "members";
    }

    @GetMapping("/members/{id}")
    String member(@PathVariable long id, Model model) {
        model.addAttribute("member", members.member(id));
        model.addAttribute("maxReason", SingleMemberAnonymiser.MAX_REASON_LENGTH);
        return "member";
    }

    @PostMapping("/members/{id}/anonymisation")
    String anonymise(@PathVariable long id, @RequestParam(required = false) String reason,
            @RequestParam(required = false) Boolean confirmed, RedirectAttributes redirect) {
        if (!Boolean.TRUE.equals(confirmed)) {
            messages.error(redirect, "CONFIRMATION_REQUIRED");
            return "redirect:/members/" + id;
        }
        try {
            SingleAnonymisation outcome = members.anonymise(id, reason, Channel.PAGE);
            messages.notice(redirect, "member." + outcome.code(), id);
        }
        catch (ApiException ex) {
            messages.error(redirect, ex.code(), ex.arguments());
        }
        catch (AccessRefusedException ex) {
            messages.error(redirect, ex.decision().name());
        }
        return "redirect:/members/" + id;
    }
}
