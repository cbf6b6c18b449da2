package org.clubanonymiser.progress;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The long steps' progress lines and gauges ({@link StepProgressMonitor}); settings in {@link ProgressProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProgressProperties.class)
class ProgressConfiguration {

    /** The application's meter registry (Prometheus), or Micrometer's global one without it. */
    @Bean
    StepProgressMonitor stepProgressMonitor(ProgressProperties progressProperties,
            ObjectProvider<MeterRegistry> meterRegistry) {
        return new StepProgressMonitor(progressProperties.interval(),
                meterRegistry.getIfAvailable(() -> Metrics.globalRegistry));
    }
}
