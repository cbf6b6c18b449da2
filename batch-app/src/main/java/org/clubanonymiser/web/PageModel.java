package org.clubanonymiser.web;

import java.security.Principal;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page's header shows: the signed-in username (the user's own, on their own screen). */
@ServerMode
@ControllerAdvice(annotations = Controller.class)
class PageModel {

    @ModelAttribute("currentUsername")
    String currentUsername(Principal principal) {
        return principal == null ? null : principal.getName();
    }
}
