package org.clubanonymiser.launch;

import org.springframework.batch.core.configuration.DuplicateJobException;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.ManagedList;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.Environment;

/**
 * A task process starts only what its one job needs. {@link LaunchModeEnvironmentPostProcessor} turns lazy
 * initialisation on in task mode; but Spring Batch's job registry and Spring Cloud Task's job runner each ask for
 * every {@code Job} bean, which would create all the jobs, their steps, readers and writers anyway. Here, in a
 * lazily initialised task process, both get the named job alone, so the other jobs' beans are never made, nor many
 * of their classes loaded (benchmarks/RESULTS.md, "Start-up to the first step").
 * <p>
 * What stays eager, so that a configuration error still fails at start-up rather than in the middle of a run: every
 * {@code @ConfigurationProperties} record (bound and validated, whichever job uses it), the named job with all it
 * depends on (created before the first step by the runner), and what Spring Boot keeps eager anyway (the
 * {@code SmartInitializingSingleton} and {@code SmartLifecycle} beans: H2's compaction marker check, graceful
 * shutdown, Spring Cloud Task's task-execution record). Server mode, a remote-partitioning manager or worker (whose
 * messaging flows must be wired at start) and a launch without a job name are not lazy and keep every job.
 */
@Configuration(proxyBeanMethods = false)
class TaskStartupConfiguration {

    /** The bean name of Spring Cloud Task's job runner (its {@code TaskJobLauncherAutoConfiguration}). */
    static final String TASK_JOB_RUNNER = "taskJobLauncherApplicationRunner";

    /** Every {@code @ConfigurationProperties} record is bound and validated at start-up, lazy or not. */
    @Bean
    static LazyInitializationExcludeFilter configurationPropertiesStayEager() {
        return (beanName, beanDefinition, beanType) -> MergedAnnotations.from(beanType)
            .isPresent(ConfigurationProperties.class);
    }

    /**
     * Spring Cloud Task's job runner takes a list of every {@code Job} bean; in a lazy task process it gets the named
     * job alone. When no bean has that name, the runner is left as it is and finds the job among all of them.
     */
    @Bean
    static BeanDefinitionRegistryPostProcessor taskJobRunnerTakesTheNamedJobOnly(Environment environment) {
        String jobName = selectedJob(environment);
        return new BeanDefinitionRegistryPostProcessor() {

            @Override
            public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
                if (jobName == null || !registry.containsBeanDefinition(TASK_JOB_RUNNER)
                        || !registry.containsBeanDefinition(jobName)) {
                    return;
                }
                BeanDefinition runner = registry.getBeanDefinition(TASK_JOB_RUNNER);
                // The factory method's second parameter, List<Job> jobs; the others are still autowired.
                ManagedList<RuntimeBeanReference> jobs = new ManagedList<>();
                jobs.add(new RuntimeBeanReference(jobName));
                runner.getConstructorArgumentValues().addIndexedArgumentValue(1, jobs);
            }
        };
    }

    /**
     * The job name of a task-mode launch with lazy initialisation on, or {@code null}: then every job is created and
     * registered, as Spring Batch does by default.
     */
    static String selectedJob(Environment environment) {
        boolean lazy = environment.getProperty("spring.main.lazy-initialization", Boolean.class, false);
        return lazy && LaunchMode.of(environment) == LaunchMode.TASK
                ? environment.getRequiredProperty(LaunchMode.JOB_NAME_PROPERTY).strip() : null;
    }

    /**
     * Batch 6's map registry, which registers every {@code Job} bean once the singletons exist; given a job name, it
     * registers the bean of that name alone (or every job when there is no such bean, or it is named otherwise).
     */
    static class SelectedJobRegistry extends MapJobRegistry {

        private final String jobName;

        private ApplicationContext applicationContext;

        SelectedJobRegistry(String jobName) {
            this.jobName = jobName;
        }

        @Override
        public void setApplicationContext(ApplicationContext applicationContext) {
            super.setApplicationContext(applicationContext);
            this.applicationContext = applicationContext;
        }

        @Override
        public void afterSingletonsInstantiated() {
            if (jobName == null || !applicationContext.containsBean(jobName)
                    || !applicationContext.isTypeMatch(jobName, Job.class)) {
                super.afterSingletonsInstantiated();
                return;
            }
            Job job = applicationContext.getBean(jobName, Job.class);
            if (!jobName.equals(job.getName())) {
                super.afterSingletonsInstantiated();
                return;
            }
            try {
                register(job);
            }
            catch (DuplicateJobException ex) {
                throw new IllegalStateException("Job " + jobName + " registered twice", ex);
            }
        }
    }
}
