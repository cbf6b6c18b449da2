package org.clubanonymiser.chainexport;

import java.util.Map;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import org.clubanonymiser.support.execution.JobLoggingContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.config.annotation.EnableBatchIntegration;
import org.springframework.batch.integration.partition.BeanFactoryStepLocator;
import org.springframework.batch.integration.partition.RemotePartitioningManagerStepBuilder;
import org.springframework.batch.integration.partition.RemotePartitioningManagerStepBuilderFactory;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.jms.dsl.Jms;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.support.converter.MessageConversionException;
import org.springframework.jms.support.converter.MessageConverter;
import org.springframework.jms.support.converter.SimpleMessageConverter;

/**
 * Remote partitioning of {@code chainExportJob} over a JMS broker (Spring Boot's Artemis support:
 * {@code spring.artemis.*}), with Spring Batch Integration's own machinery, nothing home-made:
 * <ul>
 * <li>{@code anonymiser.partitioning.mode=manager}: the two manager steps are built by
 * {@link RemotePartitioningManagerStepBuilderFactory}; each sends one {@link StepExecutionRequest} per club to the
 * queue {@code anonymiser.partitioning.request-queue} and polls the shared job repository until every partition has
 * ended (no reply queue: a worker's result is its step execution in the database);</li>
 * <li>{@code anonymiser.partitioning.mode=worker}: the JVM consumes that queue, one request at a time, and hands each
 * to Spring Batch Integration's {@link StepExecutionRequestHandler}, which loads the partition's step execution
 * from the shared job repository and runs the step it names ({@code exportManifestStep} or
 * {@code exportWorkbookStep}, the export's own step beans, found by {@link BeanFactoryStepLocator}). This is the
 * handler {@code RemotePartitioningWorkerStepBuilder} registers; it is declared directly because the worker steps
 * already exist as beans and must not be built a second time.</li>
 * </ul>
 * A request travels as a JMS map message of two plain values (step name, step execution id), never a serialised
 * Java object; the worker accepts nothing else ({@link MapMessagesOnly}) and its connection factory deserialises
 * nothing ({@link #noDeserialization}). Every JVM shares the database (job repository and business tables) and the storage dir. A worker
 * records its process id in each partition's step execution context ({@value #WORKER_PID_KEY}) and logs it with its
 * host, so ops can tell which worker ran which club. Failure: a failed partition fails the manager step, the job
 * ends FAILED, and a relaunch sends only the failed partitions again. A worker killed mid-partition leaves that
 * partition STARTED: the manager waits until {@code anonymiser.partitioning.timeout}, then the usual recovery of a
 * dead execution applies.
 */
@Configuration(proxyBeanMethods = false)
class ChainExportRemotePartitioningConfiguration {

    /** Step execution context key of the process id of the worker that ran a partition. */
    static final String WORKER_PID_KEY = "chainExportJob.worker.pid";

    private static final String STEP_NAME = "stepName";

    private static final String STEP_EXECUTION_ID = "stepExecutionId";

    /** The only types a request carries (its two values); see {@link #noDeserialization}. */
    static final String DESERIALIZATION_ALLOW_LIST = "java.lang.String,java.lang.Long";

    private static final Logger log = LoggerFactory.getLogger(ChainExportRemotePartitioningConfiguration.class);

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "anonymiser.partitioning.mode", havingValue = "manager")
    @EnableBatchIntegration
    static class Manager {

        @Bean
        DirectChannel chainExportRequests() {
            return new DirectChannel();
        }

        @Bean
        IntegrationFlow chainExportRequestsToBroker(DirectChannel chainExportRequests,
                ConnectionFactory connectionFactory, PartitioningProperties partitioningProperties) {
            return IntegrationFlow.from(chainExportRequests)
                .<StepExecutionRequest, Map<String, Object>>transform(request -> Map.of(STEP_NAME,
                        request.getStepName(), STEP_EXECUTION_ID, request.getStepExecutionId()))
                .handle(Jms.outboundAdapter(connectionFactory).destination(partitioningProperties.requestQueue()))
                .get();
        }

        @Bean
        Step chainExportManifestStep(RemotePartitioningManagerStepBuilderFactory managerSteps,
                ClubPartitioner chainExportPartitioner, DirectChannel chainExportRequests,
                PartitioningProperties partitioningProperties) {
            return remote(managerSteps.get("chainExportManifestStep"), "exportManifestStep", chainExportPartitioner,
                    chainExportRequests, partitioningProperties);
        }

        @Bean
        Step chainExportWorkbookStep(RemotePartitioningManagerStepBuilderFactory managerSteps,
                ClubPartitioner chainExportPartitioner, DirectChannel chainExportRequests,
                PartitioningProperties partitioningProperties) {
            return remote(managerSteps.get("chainExportWorkbookStep"), "exportWorkbookStep", chainExportPartitioner,
                    chainExportRequests, partitioningProperties);
        }

        /** A manager step: the partitions of {@code workerStep} sent as requests, their outcome polled. */
        private static Step remote(RemotePartitioningManagerStepBuilder manager, String workerStep,
                ClubPartitioner chainExportPartitioner, DirectChannel chainExportRequests,
                PartitioningProperties partitioningProperties) {
            return manager.partitioner(workerStep, chainExportPartitioner)
                .outputChannel(chainExportRequests)
                .pollInterval(partitioningProperties.pollInterval().toMillis())
                .timeout(timeoutMillis(partitioningProperties))
                .build();
        }
    }

    /** Spring Batch's "no limit" is a negative timeout; 0 would time out at the first poll. */
    static long timeoutMillis(PartitioningProperties properties) {
        return properties.timeout().isZero() ? -1 : properties.timeout().toMillis();
    }

    /**
     * The worker's message converter: a request is a {@link MapMessage} of two plain values, and nothing else is
     * accepted. An {@link ObjectMessage} (or any other kind) is refused before its body is read, so a sender on the
     * queue cannot make the worker deserialise a Java object (a "gadget"); the refusal is logged with the message's
     * type only, and the message becomes {@link #REFUSED}, which the worker's flow drops (consumed, not redelivered).
     */
    static final class MapMessagesOnly implements MessageConverter {

        /** The payload of a refused message. */
        static final Object REFUSED = new Object();

        private final SimpleMessageConverter maps = new SimpleMessageConverter();

        @Override
        public jakarta.jms.Message toMessage(Object object, Session session) throws JMSException {
            if (!(object instanceof Map<?, ?>)) {
                throw new MessageConversionException("Only map messages are sent on the chain-export queue");
            }
            return maps.toMessage(object, session);
        }

        @Override
        public Object fromMessage(jakarta.jms.Message message) throws JMSException {
            if (!(message instanceof MapMessage)) {
                log.warn("Refused a {} on the chain-export queue: only map messages are accepted",
                        message.getClass().getSimpleName());
                return REFUSED;
            }
            return maps.fromMessage(message);
        }
    }

    /**
     * Sets Artemis' deserialization lists on an {@code ActiveMQConnectionFactory} (or the one Spring's caching factory
     * wraps): the allow list names the only types a request carries, and the deny list {@code *}, which
     * Artemis checks first, leaves nothing to deserialise at all. A second line of defence behind
     * {@link MapMessagesOnly}, in case anything ever calls {@code ObjectMessage.getObject()}.
     *
     * @return whether a factory was found and set
     */
    static boolean noDeserialization(Object connectionFactory) {
        Object factory = connectionFactory;
        if (factory instanceof CachingConnectionFactory caching) {
            factory = caching.getTargetConnectionFactory();
        }
        if (factory instanceof ActiveMQConnectionFactory artemis) {
            artemis.setDeserializationAllowList(DESERIALIZATION_ALLOW_LIST);
            artemis.setDeserializationDenyList("*");
            return true;
        }
        return false;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "anonymiser.partitioning.mode", havingValue = "worker")
    @EnableBatchIntegration
    static class Worker {

        @Bean
        IntegrationFlow chainExportWorkerFlow(ConnectionFactory connectionFactory, JobRepository jobRepository,
                BeanFactory beanFactory, PartitioningProperties partitioningProperties) {
            BeanFactoryStepLocator steps = new BeanFactoryStepLocator();
            steps.setBeanFactory(beanFactory);
            StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
            handler.setJobRepository(jobRepository);
            handler.setStepLocator(steps);
            return IntegrationFlow
                .from(Jms.messageDrivenChannelAdapter(connectionFactory)
                    .destination(partitioningProperties.requestQueue())
                    .jmsMessageConverter(new MapMessagesOnly())
                    // One club at a time per worker: the broker hands the next request to an idle worker.
                    .configureListenerContainer(container -> container.concurrentConsumers(1)
                        .maxConcurrentConsumers(1)))
                // A refused message is dropped here, so it is consumed once rather than redelivered.
                .filter(payload -> payload != MapMessagesOnly.REFUSED)
                .<Map<String, Object>, StepExecutionRequest>transform(message -> new StepExecutionRequest(
                        (String) message.get(STEP_NAME), ((Number) message.get(STEP_EXECUTION_ID)).longValue()))
                .handle(handler, "handle")
                .handle(message -> {
                    StepExecution done = (StepExecution) message.getPayload();
                    log.info("Worker {} on {} ran {} (step execution {}): {}", ProcessHandle.current().pid(),
                            hostName(), done.getStepName(), done.getId(), done.getStatus());
                })
                .get();
        }

        /**
         * The worker's process id in the context of every partition it runs (a number, nothing personal), and the
         * manager's job and execution ids in the logging context of its lines, as {@code JobLoggingContext} does.
         */
        @Bean
        SmartInitializingSingleton chainExportWorkerIdentity(Step exportManifestStep, Step exportWorkbookStep) {
            StepExecutionListener identity = new StepExecutionListener() {

                @Override
                public void beforeStep(StepExecution stepExecution) {
                    stepExecution.getExecutionContext().putLong(WORKER_PID_KEY, ProcessHandle.current().pid());
                    MDC.put(JobLoggingContext.KEY, stepExecution.getJobExecution().getJobInstance().getJobName()
                            + "#" + stepExecution.getJobExecutionId());
                }

                @Override
                public ExitStatus afterStep(StepExecution stepExecution) {
                    MDC.remove(JobLoggingContext.KEY);
                    return null;
                }
            };
            return () -> {
                ((AbstractStep) exportManifestStep).registerStepExecutionListener(identity);
                ((AbstractStep) exportWorkbookStep).registerStepExecutionListener(identity);
            };
        }

        /** Artemis' deserialization lists on the worker's connection factory (see {@link #noDeserialization}). */
        @Bean
        static BeanPostProcessor chainExportNoDeserialization() {
            return new BeanPostProcessor() {

                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    noDeserialization(bean);
                    return bean;
                }
            };
        }

        private static String hostName() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            }
            catch (java.io.IOException ex) {
                return "unknown host";
            }
        }
    }
}
