package org.clubanonymiser.launch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager.ShutdownOperation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The final push reaches the Pushgateway after a periodic push under way, never before: a stand-in Pushgateway (the
 * JDK's HTTP server) holds the first periodic POST, which read the counter at 1, while the manager shuts down with
 * the counter at 5; the final PUT must arrive once that POST has been answered, so the group ends at 5.
 */
class OrderedPushGatewayManagerTests {

    HttpServer server;

    final List<String> arrivals = new CopyOnWriteArrayList<>();

    final CountDownLatch firstPostHeld = new CountDownLatch(1);

    final CountDownLatch releaseFirstPost = new CountDownLatch(1);

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        // Several threads: a PUT sent while the POST is held would be accepted and recorded at once.
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    @AfterEach
    void stopServer() {
        releaseFirstPost.countDown();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String counted = body.lines()
            .filter(line -> line.startsWith("pushed_items_total "))
            .map(line -> line.substring("pushed_items_total ".length()))
            .findFirst()
            .orElse("-");
        boolean first = exchange.getRequestMethod().equals("POST") && !counted.equals("-")
                && firstPostHeld.getCount() == 1;
        if (first) {
            firstPostHeld.countDown();
            try {
                releaseFirstPost.await(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        arrivals.add(exchange.getRequestMethod() + " " + counted);
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    @Test
    void theFinalPushIsSentOnceThePeriodicPushUnderWayIsAnswered() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter items = Counter.builder("pushed.items").register(meters);
        items.increment();
        PushGateway.Builder builder = PushGateway.builder()
            .address("127.0.0.1:" + server.getAddress().getPort())
            .format(Format.PROMETHEUS_TEXT)
            .job("importJob")
            .groupingKey("execution_id", "7");
        PushGateway empty = builder.registry(new PrometheusRegistry()).build();
        OrderedPushGatewayManager manager = new OrderedPushGatewayManager(
                builder.registry(meters.getPrometheusRegistry()).build(), empty, Duration.ofMinutes(1),
                ShutdownOperation.PUT);

        assertThat(firstPostHeld.await(10, TimeUnit.SECONDS)).as("the first periodic push reached the server").isTrue();
        items.increment(4);
        Thread closing = new Thread(manager::shutdown);
        closing.start();
        Thread.sleep(300);
        assertThat(arrivals).as("nothing recorded while the periodic push is held").doesNotContain("PUT 5.0");
        releaseFirstPost.countDown();
        closing.join(TimeUnit.SECONDS.toMillis(40));

        assertThat(closing.isAlive()).isFalse();
        assertThat(arrivals).as("the superclass's only push carries no metric; then the periodic POST, then the PUT")
            .containsSubsequence("POST 1.0", "PUT 5.0")
            .last()
            .isEqualTo("PUT 5.0");
    }
}
