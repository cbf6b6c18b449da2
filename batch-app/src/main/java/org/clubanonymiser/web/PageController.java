package org.clubanonymiser.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The login form, and {@code /} leading to the export page (the seed's first step). */
@ServerMode
@Controller
class PageController {

    @GetMapping("/login")
    String login() {
        return "login";
    }

    @GetMapping("/")
    String home() {
        return "redirect:/exports";
    }
}
