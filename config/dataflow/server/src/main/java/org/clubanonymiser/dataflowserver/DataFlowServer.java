package org.clubanonymiser.dataflowserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.autoconfigure.session.SessionAutoConfiguration;
import org.springframework.cloud.dataflow.server.EnableDataFlowServer;
import org.springframework.cloud.deployer.spi.cloudfoundry.CloudFoundryDeployerAutoConfiguration;
import org.springframework.cloud.deployer.spi.kubernetes.KubernetesAutoConfiguration;
import org.springframework.cloud.deployer.spi.local.LocalDeployerAutoConfiguration;
import org.springframework.cloud.task.configuration.MetricsAutoConfiguration;
import org.springframework.cloud.task.configuration.SimpleTaskAutoConfiguration;

/**
 * The Data Flow server of the end-to-end run: what Data Flow's own server application is, with the same exclusions
 * (no security, no session store, no task of its own; tasks are launched on the local platform only, which Data
 * Flow configures itself from its platform properties, so the deployers' auto-configurations stay off).
 */
@SpringBootApplication(exclude = { MetricsAutoConfiguration.class, SessionAutoConfiguration.class,
        SimpleTaskAutoConfiguration.class, ManagementWebSecurityAutoConfiguration.class, SecurityAutoConfiguration.class,
        UserDetailsServiceAutoConfiguration.class, LocalDeployerAutoConfiguration.class,
        CloudFoundryDeployerAutoConfiguration.class, KubernetesAutoConfiguration.class })
@EnableDataFlowServer
public class DataFlowServer {

    public static void main(String[] args) {
        SpringApplication.run(DataFlowServer.class, args);
    }
}
