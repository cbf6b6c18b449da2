package org.clubanonymiser.web.members;

import java.time.Clock;
import java.util.concurrent.ThreadPoolExecutor;

import org.clubanonymiser.anonymisation.SingleMemberAnonymiser;
import org.clubanonymiser.metrics.EligibleMembersGauge;
import org.clubanonymiser.web.ServerMode;
import org.clubanonymiser.web.security.CurrentUser;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** The Members pages and API (single-member anonymisation); see docs/web-api.md. */
@ServerMode
@Configuration(proxyBeanMethods = false)
class MembersWebConfiguration {

    @Bean
    Members members(NamedParameterJdbcTemplate namedParameterJdbcTemplate, CurrentUser currentUser,
            SingleMemberAnonymiser singleMemberAnonymiser, ObjectProvider<EligibleMembersGauge> eligibleMembersGauge,
            ThreadPoolTaskExecutor memberRecountExecutor, Clock clock) {
        return new Members(namedParameterJdbcTemplate, currentUser, singleMemberAnonymiser, eligibleMembersGauge,
                memberRecountExecutor, clock);
    }

    /**
     * Recounts the eligible-members gauge after a single-member anonymisation, off the request thread: one recount
     * at a time, at most one waiting (it will see every anonymisation committed before it starts), others dropped.
     */
    @Bean
    ThreadPoolTaskExecutor memberRecountExecutor() {
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setCorePoolSize(1);
        pool.setMaxPoolSize(1);
        pool.setQueueCapacity(1);
        pool.setThreadNamePrefix("member-recount-");
        pool.setRejectedExecutionHandler(new ThreadPoolExecutor.DiscardPolicy());
        pool.initialize();
        return pool;
    }
}
