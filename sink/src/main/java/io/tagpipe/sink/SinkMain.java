package io.tagpipe.sink;

import java.time.Clock;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tagpipe.admin.ops.OpsServer;

/**
 * Runs the sink from the {@code TAGPIPE_*} environment (used by tests as a real child JVM; the
 * {@code tagpipe sink} command is the user-facing way). SIGTERM flushes, commits and exits 0.
 * {@code TAGPIPE_METRICS_PORT} turns on the metrics and health port (off when absent or 0).
 */
public final class SinkMain {
    private SinkMain() {
    }

    public static void main(String[] args) throws Exception {
        SinkConfig config = SinkConfig.fromEnv(System.getenv()).build();
        String port = System.getenv(OpsServer.PORT_ENV);
        System.exit(run(config, port == null || port.isBlank() ? 0 : Integer.parseInt(port.trim())));
    }

    /** Starts, prints the summary, blocks until SIGTERM or a fatal error; returns the exit code. */
    public static int run(SinkConfig config) throws Exception {
        return run(config, 0);
    }

    /** As {@link #run(SinkConfig)}, with {@code /metrics}, {@code /healthz} and {@code /readyz} on {@code metricsPort} (0: none). */
    public static int run(SinkConfig config, int metricsPort) throws Exception {
        PrometheusMeterRegistry registry = OpsServer.newRegistry();
        Sink sink = Sink.start(config, Clock.systemUTC(), new SinkMeters(registry));
        OpsServer ops;
        try {
            ops = metricsPort == 0 ? null : OpsServer.start(metricsPort, registry, sink::health);
        } catch (Exception e) {
            sink.close();
            throw e;
        }
        sink.startupSummary().forEach(System.out::println);
        if (ops != null) {
            System.out.println("  metrics:           http://0.0.0.0:" + ops.port() + "/metrics, /healthz, /readyz");
        }
        System.out.flush();
        Thread hook = new Thread(() -> {
            try {
                sink.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tagpipe-sink-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Throwable failure = sink.await();
        if (ops != null) {
            ops.close();
        }
        if (failure != null) {
            System.err.println("tagpipe sink: " + failure.getMessage());
            return 1;
        }
        return 0;
    }
}
