package org.clubanonymiser.web.privacy;

import org.clubanonymiser.privacy.PrivacyReports;
import org.clubanonymiser.web.ServerMode;
import org.clubanonymiser.web.security.CurrentUser;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The privacy report's page and API (docs/privacy.md). */
@ServerMode
@Configuration(proxyBeanMethods = false)
class PrivacyWebConfiguration {

    @Bean
    PrivacyReportRequests privacyReportRequests(PrivacyReports privacyReports, CurrentUser currentUser) {
        return new PrivacyReportRequests(privacyReports, currentUser);
    }
}
