package org.clubanonymiser.support.execution;


import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers {@link JobLaunchGuard}: parameters validated before a job instance exists. */
@Configuration(proxyBeanMethods = false)
public class LaunchGuardConfiguration {

    /** Static: a post-processor must not make its configuration class (and its dependencies) initialise early. */
    @Bean
    static JobLaunchGuard jobLaunchGuard(ObjectProvider<JobParametersDefaults> defaults) {
        return new JobLaunchGuard(defaults);
    }
}
