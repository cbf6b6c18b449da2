package org.clubanonymiser.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Test-only hook for the chain export's worker JVMs (inert unless {@code anonymiser.test.worker-rendezvous} is set):
 * each worker holds its first partition until every expected worker holds one. A worker that holds a partition is
 * not consuming the request queue (no prefetch), so the other requests can only go to the other workers: "every
 * worker got work" becomes a certainty instead of a likely outcome of the broker's timing. The wait is bounded; when
 * it runs out the partition fails, saying which workers never arrived.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("anonymiser.test.worker-rendezvous")
class WorkerRendezvous {

    static final Duration MAX_WAIT = Duration.ofMinutes(3);

    @Bean
    static BeanPostProcessor rendezvousOnFirstPartition(@Value("${anonymiser.test.worker-rendezvous}") Path directory,
            @Value("${anonymiser.test.worker-rendezvous-count:2}") int workers) {
        AtomicBoolean arrived = new AtomicBoolean();
        return new BeanPostProcessor() {

            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                // The member reader is step-scoped: it is created when this worker starts a manifest partition.
                if (beanName.equals("scopedTarget.exportMemberReader") && arrived.compareAndSet(false, true)) {
                    await(directory, workers);
                }
                return bean;
            }
        };
    }

    private static void await(Path directory, int workers) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(Long.toString(ProcessHandle.current().pid())), "holding");
            long deadline = System.nanoTime() + MAX_WAIT.toNanos();
            long present = arrivals(directory);
            while (present < workers) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Worker rendezvous: " + present + " of " + workers
                            + " workers held a partition within " + MAX_WAIT);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                present = arrivals(directory);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static long arrivals(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }
}
