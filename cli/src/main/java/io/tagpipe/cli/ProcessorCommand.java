package io.tagpipe.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tagpipe.admin.ops.AppLabels;
import io.tagpipe.admin.ops.OpsServer;
import io.tagpipe.processor.ProcessorApp;
import io.tagpipe.processor.ProcessorSettings;
import io.tagpipe.processor.RecordMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tagpipe processor}: runs the Kafka Streams topology until SIGTERM/SIGINT. */
@Command(name = "processor", mixinStandardHelpOptions = true,
        description = "Run the stream processor: per-app policies, sampling, rate limits, routing, stats, DLQ.")
public final class ProcessorCommand implements Callable<Integer> {
    /**
     * Start, state and stop for the operator (plain stdout lines in text, events in JSON: LogbackSetup).
     * Set when the command runs, not a static field: picocli builds every command to parse any line, and
     * logging must not start before a command runs (the bench first points slf4j-simple at a file).
     */
    private Logger status;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    GroupOptions.Processor group;

    @Option(names = "--config", defaultValue = "${env:TAGPIPE_STREAMS_CONFIG}",
            description = "extra Kafka Streams .properties, override everything but id and bootstrap (env TAGPIPE_STREAMS_CONFIG)")
    Path streamsConfig;

    @Option(names = "--stats-interval", defaultValue = "5", description = "seconds between stats emissions (default ${DEFAULT-VALUE})")
    int statsIntervalSeconds;

    @Option(names = "--metrics-port", defaultValue = "${env:TAGPIPE_METRICS_PORT:-9400}",
            description = "HTTP port of /metrics (Prometheus), /healthz and /readyz; 0 turns it off (env TAGPIPE_METRICS_PORT, default ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(names = "--metrics-apps", defaultValue = "${env:TAGPIPE_METRICS_APPS:-" + AppLabels.DEFAULT_MAX + "}",
            description = "apps with their own metrics label (the first seen); later apps count as 'other' (env TAGPIPE_METRICS_APPS, default ${DEFAULT-VALUE})")
    int metricsApps;

    @Override
    public Integer call() throws Exception {
        status = LoggerFactory.getLogger("tagpipe.processor");
        ProcessorSettings settings = ProcessorSettings.of(kafka.client(), group.applicationId, streamsConfig)
                .withStatsInterval(Duration.ofSeconds(statsIntervalSeconds));
        settings.startupSummary().forEach(status::info);
        PrometheusMeterRegistry registry = OpsServer.newRegistry();
        ProcessorApp app = new ProcessorApp(settings, new RecordMeters(registry, new AppLabels(metricsApps)));
        OpsServer ops = metricsPort == 0 ? null : OpsServer.start(metricsPort, registry, app::health);
        if (ops != null) {
            status.info("  metrics            http://0.0.0.0:{}/metrics, /healthz, /readyz", ops.port());
        }
        Thread hook = new Thread(() -> {
            status.info("tagpipe processor: stopping (committing and leaving the group)…");
            app.close(Duration.ofSeconds(30));
        }, "tagpipe-processor-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        app.start();
        if (app.awaitRunning(Duration.ofMinutes(5))) {
            var policies = app.policies();
            status.info("tagpipe processor running: {} policies loaded {}, {} input partitions assigned to this instance",
                    policies.size(), policies.keySet(), app.assignedPartitions());
        } else {
            status.warn("tagpipe processor not running (state {})", app.state());
        }
        boolean failed = app.awaitStopped();
        if (ops != null) {
            ops.close();
        }
        if (failed) {
            status.error("tagpipe processor stopped after an error (see log)");
        } else {
            status.info("tagpipe processor stopped");
        }
        return failed ? 1 : 0;
    }
}
