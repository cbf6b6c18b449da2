package org.clubanonymiser.export;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** What the export's whole-application tests add: a meter registry to read the counters, and fault injection. */
@TestConfiguration(proxyBeanMethods = false)
class ExportTestConfiguration {

    @Bean
    SimpleMeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Bean
    static ExportFaults exportFaults() {
        return new ExportFaults();
    }
}
