package org.clubanonymiser.support;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The privacy settings shared by the anonymisation and the privacy report (README, "Privacy"). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PrivacyProperties.class)
public class PrivacyConfiguration {

    @Bean
    CreationDateGeneralisation creationDateGeneralisation(NamedParameterJdbcTemplate namedParameterJdbcTemplate,
            PrivacyProperties privacyProperties) {
        return new CreationDateGeneralisation(namedParameterJdbcTemplate, privacyProperties.creationDatePrecision());
    }
}
