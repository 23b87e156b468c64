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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tagpipe processor}: runs the Kafka Streams topology until SIGTERM/SIGINT. */
@Command(name = "processor", mixinStandardHelpOptions = true,
        description = "Run the stream processor: per-app policies, sampling, rate limits, routing, stats, DLQ.")
public final class ProcessorCommand implements Callable<Integer> {
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        ProcessorSettings settings = ProcessorSettings.of(kafka.client(), group.applicationId, streamsConfig)
                .withStatsInterval(Duration.ofSeconds(statsIntervalSeconds));
        settings.startupSummary().forEach(out::println);
        out.flush();
        PrometheusMeterRegistry registry = OpsServer.newRegistry();
        ProcessorApp app = new ProcessorApp(settings, new RecordMeters(registry, new AppLabels(metricsApps)));
        OpsServer ops = metricsPort == 0 ? null : OpsServer.start(metricsPort, registry, app::health);
        if (ops != null) {
            out.println("  metrics            http://0.0.0.0:" + ops.port() + "/metrics, /healthz, /readyz");
        }
        Thread hook = new Thread(() -> {
            out.println("tagpipe processor: stopping (committing and leaving the group)…");
            out.flush();
            app.close(Duration.ofSeconds(30));
        }, "tagpipe-processor-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        app.start();
        if (app.awaitRunning(Duration.ofMinutes(5))) {
            var policies = app.policies();
            out.println("tagpipe processor running: " + policies.size() + " policies loaded " + policies.keySet()
                    + ", " + app.assignedPartitions() + " input partitions assigned to this instance");
        } else {
            out.println("tagpipe processor not running (state " + app.state() + ")");
        }
        out.flush();
        boolean failed = app.awaitStopped();
        if (ops != null) {
            ops.close();
        }
        out.println("tagpipe processor stopped" + (failed ? " after an error (see log)" : ""));
        out.flush();
        return failed ? 1 : 0;
    }
}
