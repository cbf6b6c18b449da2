package org.clubanonymiser.web.dashboard;

import org.clubanonymiser.web.ServerMode;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/dashboard}: eligible members per club of the signed-in user. */
@ServerMode
@RestController
class DashboardApiController {

    private final Dashboard dashboard;

    DashboardApiController(Dashboard dashboard) {
        this.dashboard = dashboard;
    }

    @GetMapping("/api/dashboard")
    Dashboard.View dashboard() {
        return dashboard.view();
    }
}
