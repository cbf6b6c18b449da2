package org.clubanonymiser.launch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusProperties;
import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Task mode's metrics pushed to a Prometheus Pushgateway: a task process ends before any scrape, so its counters
 * ({@code anonymiser_import_rows_total}, Spring Batch's {@code spring_batch_*} timers, the progress gauges) would
 * never reach Prometheus. Off by default; on with Spring Boot's own switch and settings,
 * {@code management.prometheus.metrics.export.pushgateway.*} ({@code enabled}, {@code address}, {@code scheme},
 * {@code username}/{@code password} or {@code token}, {@code format}, {@code push-rate}, {@code job},
 * {@code grouping-key.*}, {@code shutdown-operation}). See the operations guide.
 * <p>
 * What differs from Spring Boot's own {@link PrometheusPushGatewayManager} bean (which this one replaces, under the
 * same name): the group is the job execution, known only once the job starts, so the manager is made then, lazily,
 * for the first job execution of the process, with grouping key {@code job} = the job's name (or
 * {@code pushgateway.job} when set) and {@code execution_id} = the job execution id, plus any configured
 * {@code grouping-key.*}. It then pushes every {@code push-rate} (a POST, as Boot's: the group's metrics of the same
 * name replaced) and, when the context closes after the job, once more with {@code shutdown-operation} (PUT by default
 * in {@code application.yml}: the group becomes exactly the final figures), always after a periodic push under way,
 * never overtaken by it ({@link OrderedPushGatewayManager}). Only task mode pushes: a server is scraped, and would
 * otherwise push every job it runs into the group of its first one. A push that fails is logged at WARN and never
 * fails the job.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(PushGateway.class)
@ConditionalOnBooleanProperty("management.prometheus.metrics.export.pushgateway.enabled")
class TaskMetricsPushConfiguration {

    /** The grouping key's label of the job execution id. */
    static final String EXECUTION_ID_LABEL = "execution_id";

    /** The push manager, made when the first job of a task process starts (see the class comment). */
    @Bean
    @Lazy
    PrometheusPushGatewayManager prometheusPushGatewayManager(PrometheusRegistry prometheusRegistry,
            PrometheusProperties prometheusProperties, TaskExecutionGroup taskExecutionGroup) {
        PrometheusProperties.Pushgateway properties = prometheusProperties.getPushgateway();
        JobExecution execution = taskExecutionGroup.execution();
        PushGateway.Builder builder = PushGateway.builder()
            .address(properties.getAddress())
            .scheme(properties.getScheme() == PrometheusProperties.Pushgateway.Scheme.HTTPS ? Scheme.HTTPS
                    : Scheme.HTTP)
            .format(properties.getFormat() == PrometheusProperties.Pushgateway.Format.TEXT ? Format.PROMETHEUS_TEXT
                    : Format.PROMETHEUS_PROTOBUF)
            .job(StringUtils.hasText(properties.getJob()) ? properties.getJob()
                    : execution.getJobInstance().getJobName());
        if (StringUtils.hasText(properties.getToken())) {
            builder.bearerToken(properties.getToken());
        }
        else if (StringUtils.hasText(properties.getUsername())) {
            builder.basicAuth(properties.getUsername(), properties.getPassword());
        }
        Map<String, String> groupingKey = new LinkedHashMap<>(properties.getGroupingKey());
        groupingKey.put(EXECUTION_ID_LABEL, Long.toString(execution.getId()));
        groupingKey.forEach(builder::groupingKey);
        PushGateway empty = builder.registry(new PrometheusRegistry()).build();
        return new OrderedPushGatewayManager(builder.registry(prometheusRegistry).build(), empty,
                properties.getPushRate(), properties.getShutdownOperation());
    }

    @Bean
    TaskExecutionGroup taskExecutionGroup(Environment environment,
            ObjectProvider<PrometheusPushGatewayManager> prometheusPushGatewayManager) {
        return new TaskExecutionGroup(LaunchMode.of(environment) == LaunchMode.TASK, prometheusPushGatewayManager);
    }

    /** Static: a post-processor must not drag the configuration's other beans into early creation. */
    @Bean
    static BeanPostProcessor taskExecutionGroupRegistrar(ObjectProvider<TaskExecutionGroup> taskExecutionGroup) {
        return TypedBeanPostProcessor.of(AbstractJob.class,
                job -> job.registerJobExecutionListener(taskExecutionGroup.getObject()));
    }

    /**
     * Remembers the first job execution of a task process and starts the pushes for it. Thread-safe: a second
     * execution (a job run as a step of another) keeps the first one's group.
     */
    static class TaskExecutionGroup implements JobExecutionListener {

        private static final Logger log = LoggerFactory.getLogger(TaskExecutionGroup.class);

        private final boolean taskMode;

        private final ObjectProvider<PrometheusPushGatewayManager> manager;

        private final AtomicReference<JobExecution> execution = new AtomicReference<>();

        TaskExecutionGroup(boolean taskMode, ObjectProvider<PrometheusPushGatewayManager> manager) {
            this.taskMode = taskMode;
            this.manager = manager;
        }

        @Override
        public void beforeJob(JobExecution jobExecution) {
            if (taskMode && execution.compareAndSet(null, jobExecution)) {
                manager.getObject();
                log.info("Metrics of job execution {} pushed to the Prometheus Pushgateway", jobExecution.getId());
            }
        }

        JobExecution execution() {
            JobExecution current = execution.get();
            if (current == null) {
                throw new IllegalStateException("No job execution yet: the Pushgateway group is made when it starts");
            }
            return current;
        }
    }
}
