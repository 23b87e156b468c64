package io.tagpipe.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.tagpipe.processor.ProcessorApp;
import io.tagpipe.processor.ProcessorSettings;
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        var out = spec.commandLine().getOut();
        ProcessorSettings settings = ProcessorSettings.of(kafka.client(), group.applicationId, streamsConfig)
                .withStatsInterval(Duration.ofSeconds(statsIntervalSeconds));
        settings.startupSummary().forEach(out::println);
        out.flush();
        ProcessorApp app = new ProcessorApp(settings);
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
        out.println("tagpipe processor stopped" + (failed ? " after an error (see log)" : ""));
        out.flush();
        return failed ? 1 : 0;
    }
}
