package org.clubanonymiser.web.dashboard;

import org.clubanonymiser.web.ServerMode;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The dashboard page: the contacts to anonymise per club, for users holding the right (as every page). */
@ServerMode
@Controller
class DashboardPageController {

    private final Dashboard dashboard;

    DashboardPageController(Dashboard dashboard) {
        this.dashboard = dashboard;
    }

    @GetMapping("/dashboard")
    String page(Model model) {
        model.addAttribute("dashboard", dashboard.view());
        return "dashboard";
    }
}
