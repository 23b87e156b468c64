package io.tagpipe.admin.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The one HTTP port of a program: {@code GET /metrics} (Prometheus text), {@code /healthz} (200
 * while alive, else 503) and {@code /readyz} (200 while ready, else 503), each with a one-line body.
 * One daemon thread serves it; a scrape never touches the data path beyond reading meters.
 */
public final class OpsServer implements AutoCloseable {
    /** Environment fallback of {@code --metrics-port}. */
    public static final String PORT_ENV = "TAGPIPE_METRICS_PORT";

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** A Prometheus registry with the JVM and process binders every program exports. */
    public static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /**
     * Listens on every interface at {@code port} (probes and scrapers come from outside the pod).
     *
     * @throws IOException when the port cannot be bound (in use: pick another with --metrics-port)
     */
    public static OpsServer start(int port, PrometheusMeterRegistry registry, Supplier<Health> health) throws IOException {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("metrics port must be 1..65535, got " + port);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 16);
        } catch (IOException e) {
            throw new IOException("cannot listen on metrics port " + port + " (--metrics-port / " + PORT_ENV
                    + ", 0 turns it off): " + e.getMessage(), e);
        }
        server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape()));
        server.createContext("/healthz", ex -> {
            Health h = health.get();
            reply(ex, h.alive() ? 200 : 503, "text/plain; charset=utf-8", (h.alive() ? "alive: " : "dead: ") + h.detail() + "\n");
        });
        server.createContext("/readyz", ex -> {
            Health h = health.get();
            reply(ex, h.ready() ? 200 : 503, "text/plain; charset=utf-8", (h.ready() ? "ready: " : "not ready: ") + h.detail() + "\n");
        });
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tagpipe-ops-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new OpsServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            boolean exact = ex.getRequestURI().getPath().equals(ex.getHttpContext().getPath());
            if (!exact) {
                status = 404;
                body = "not found\n";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            if ("HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(status, -1);
                return;
            }
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
