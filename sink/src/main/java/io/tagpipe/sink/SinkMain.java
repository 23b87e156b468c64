package io.tagpipe.sink;

import java.time.Clock;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tagpipe.admin.ops.OpsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the sink from the {@code TAGPIPE_*} environment (used by tests as a real child JVM; the
 * {@code tagpipe sink} command is the user-facing way). SIGTERM flushes, commits and exits 0.
 * {@code TAGPIPE_METRICS_PORT} turns on the metrics and health port (off when absent or 0).
 */
public final class SinkMain {
    /**
     * Start and stop for the operator. The tagpipe program's logging (cli, LogbackSetup) prints this logger's
     * lines plain on stdout in its text format and as events in JSON.
     */
    private static final Logger status = LoggerFactory.getLogger("tagpipe.sink");

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
        sink.startupSummary().forEach(status::info);
        if (ops != null) {
            status.info("  metrics:           http://0.0.0.0:{}/metrics, /healthz, /readyz", ops.port());
        }
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
            status.error("tagpipe sink: {}", failure.getMessage());
            return 1;
        }
        return 0;
    }
}
