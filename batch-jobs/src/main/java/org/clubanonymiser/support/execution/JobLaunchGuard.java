package org.clubanonymiser.support.execution;

import java.util.List;
import java.util.Set;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;


import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Validates a job's parameters <em>before</em> its job instance is created. Spring Batch 6's launcher creates the
 * {@code BATCH_JOB_INSTANCE} row first and only then runs the job's {@code JobParametersValidator}, so a refused
 * launch would leave an instance behind (and a later launch with the same identifying parameters would find it).
 * This post-processor wraps the {@link JobOperator} bean: {@code start(Job, JobParameters)} and
 * {@code run(Job, JobParameters)} first complete the parameters with the job's {@link JobParametersDefaults}, then
 * call the job's own validator, and only then delegate. Every launcher goes through these two methods: Spring Cloud
 * Task's and Spring Boot's job runners, {@code JobOperatorTestUtils}, and the web layer. The validator still runs a
 * second time inside Spring Batch, which is harmless: validators here are side-effect free. Thread-safe.
 */
public class JobLaunchGuard implements BeanPostProcessor {

    private static final Set<String> LAUNCH_METHODS = Set.of("start", "run");

    private final ObjectProvider<JobParametersDefaults> defaults;

    public JobLaunchGuard(ObjectProvider<JobParametersDefaults> defaults) {
        this.defaults = defaults;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return InterfaceProxy.advised(bean, JobOperator.class, operator -> new ValidateFirst());
    }

    /** The parameters a launch of this job will really use: the given ones plus the job's defaults. */
    public JobParameters complete(String jobName, JobParameters given) {
        JobParameters completed = given;
        List<JobParametersDefaults> matching = defaults.orderedStream()
            .filter(d -> d.jobName().equals(jobName))
            .toList();
        for (JobParametersDefaults d : matching) {
            completed = d.complete(completed);
        }
        return completed;
    }

    private final class ValidateFirst implements MethodInterceptor {

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            Object[] arguments = invocation.getArguments();
            if (LAUNCH_METHODS.contains(invocation.getMethod().getName()) && arguments.length == 2
                    && arguments[0] instanceof Job job && arguments[1] instanceof JobParameters given) {
                JobParameters parameters = complete(job.getName(), given);
                job.getJobParametersValidator().validate(parameters);
                // Spring AOP lets an interceptor replace the arguments the target receives.
                arguments[1] = parameters;
            }
            return invocation.proceed();
        }
    }
}
