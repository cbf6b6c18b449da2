package org.clubanonymiser.launch;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager;

/**
 * Pushes a task's metrics every push rate and once more at shutdown, all from one thread, so the last push to reach
 * the Pushgateway is the final one. Spring Boot's own manager sends its shutdown push from the closing thread without
 * waiting for a periodic push under way: one that read the registry while the job still ran could land after it and
 * leave the group with stale figures (seen in CI: a finished step's progress gauge left at 0, 100 ms push rate).
 * <p>
 * It is still a {@link PrometheusPushGatewayManager}, so that Boot's auto-configuration backs off; the superclass is
 * handed a gateway on an empty registry and a rate it never reaches, so its single push (at construction) carries no
 * metric and cannot overwrite anything.
 */
class OrderedPushGatewayManager extends PrometheusPushGatewayManager {

    private static final Logger log = LoggerFactory.getLogger(OrderedPushGatewayManager.class);

    /** Longer than one request can take: the client's connect and read timeouts are 10 s each by default. */
    static final Duration LAST_PUSH_WAIT = Duration.ofSeconds(30);

    private static final Duration NEVER = Duration.ofDays(36_500);

    private final PushGateway gateway;

    private final ShutdownOperation shutdownOperation;

    private final ScheduledExecutorService pushes = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "metrics-push");
        thread.setDaemon(true);
        return thread;
    });

    private final ScheduledFuture<?> periodic;

    /**
     * @param gateway      the gateway on the application's registry
     * @param emptyGateway the same group on an empty registry, for the superclass
     */
    OrderedPushGatewayManager(PushGateway gateway, PushGateway emptyGateway, Duration pushRate,
            ShutdownOperation shutdownOperation) {
        super(emptyGateway, NEVER, ShutdownOperation.NONE);
        this.gateway = gateway;
        this.shutdownOperation = shutdownOperation == null ? ShutdownOperation.NONE : shutdownOperation;
        this.periodic = pushes.scheduleAtFixedRate(() -> send(ShutdownOperation.POST), 0, pushRate.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        super.shutdown();
        periodic.cancel(false);
        // Queued behind a periodic push under way, if any: one thread sends them in order.
        Future<?> last = pushes.submit(() -> send(shutdownOperation));
        pushes.shutdown();
        try {
            last.get(LAST_PUSH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            log.warn("Final metrics push ({}) not confirmed within {}: {}", shutdownOperation, LAST_PUSH_WAIT,
                    ex.getClass().getSimpleName());
        }
    }

    private void send(ShutdownOperation operation) {
        try {
            switch (operation) {
                case POST -> gateway.pushAdd();
                case PUT -> gateway.push();
                case DELETE -> gateway.delete();
                case NONE -> {
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            // As Boot's manager does: a failed push is logged, and never fails the job.
            log.warn("Metrics push ({}) to the Prometheus Pushgateway failed: {}", operation, ex.toString());
        }
    }
}
