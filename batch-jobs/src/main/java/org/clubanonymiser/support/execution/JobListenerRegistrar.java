package org.clubanonymiser.support.execution;


import org.springframework.batch.core.job.AbstractJob;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Registers the product-wide job listeners (logging context, heartbeat) on every job bean, so that no job can
 * forget them: a job without a heartbeat could be "recovered" while still running.
 */
public class JobListenerRegistrar implements BeanPostProcessor {

    private final ObjectProvider<ExecutionHeartbeat> heartbeat;

    private final ObjectProvider<JobLoggingContext> loggingContext;

    public JobListenerRegistrar(ObjectProvider<ExecutionHeartbeat> heartbeat,
            ObjectProvider<JobLoggingContext> loggingContext) {
        this.heartbeat = heartbeat;
        this.loggingContext = loggingContext;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AbstractJob job) {
            job.registerJobExecutionListener(loggingContext.getObject());
            job.registerJobExecutionListener(heartbeat.getObject());
        }
        return bean;
    }
}
