package io.tagpipe.cli;

import java.time.Duration;
import java.util.concurrent.Callable;

import io.tagpipe.sink.SinkConfig;
import io.tagpipe.sink.SinkMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tagpipe sink}: kept records and stats into ClickHouse until SIGTERM. */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Write kept records and ingest stats into ClickHouse (exactly once; SIGTERM flushes and commits).")
public final class SinkCommand implements Callable<Integer> {
    @Mixin
    SinkOptions connection;

    @Option(names = "--batch-rows", defaultValue = "${env:TAGPIPE_SINK_BATCH_ROWS:-50000}",
            description = "flush after this many rows (default ${DEFAULT-VALUE})")
    int batchRows;

    @Option(names = "--batch-min-rows", defaultValue = "${env:TAGPIPE_SINK_BATCH_MIN_ROWS:-10000}",
            description = "flush as soon as this many rows wait and no insert is in flight, so rows do not sit out "
                    + "--batch-ms while ClickHouse is idle; under load batches grow towards --batch-rows (default ${DEFAULT-VALUE})")
    int batchMinRows;

    @Option(names = "--batch-ms", defaultValue = "${env:TAGPIPE_SINK_BATCH_MS:-1000}",
            description = "flush after the oldest buffered record waited this long (default ${DEFAULT-VALUE})")
    long batchMs;

    @Option(names = "--batch-bytes", defaultValue = "67108864", description = "flush after this many bytes (default ${DEFAULT-VALUE})")
    long batchBytes;

    @Option(names = "--retention-period", defaultValue = "${env:TAGPIPE_SINK_RETENTION_PERIOD_S:-3600}",
            description = "seconds between retention runs (default ${DEFAULT-VALUE})")
    long retentionPeriodSeconds;

    @Option(names = "--default-retention-days", defaultValue = "30",
            description = "retention of records that carry none (default ${DEFAULT-VALUE})")
    int defaultRetentionDays;

    @Option(names = "--pressure-period", defaultValue = "${env:TAGPIPE_SINK_PRESSURE_PERIOD_MS:-5000}",
            description = "milliseconds between headroom measurements; the pressure level is published to "
                    + "tagpipe.pressure this often (default ${DEFAULT-VALUE})")
    long pressurePeriodMs;

    @Option(names = "--metrics-port", defaultValue = "${env:TAGPIPE_METRICS_PORT:-9401}",
            description = "HTTP port of /metrics (Prometheus), /healthz and /readyz; 0 turns it off (env TAGPIPE_METRICS_PORT, default ${DEFAULT-VALUE})")
    int metricsPort;

    @Override
    public Integer call() throws Exception {
        SinkConfig config = connection.builder(System.getenv()).batchRows(batchRows).batchMinRows(batchMinRows)
                .batchMaxWait(Duration.ofMillis(batchMs)).batchBytes(batchBytes)
                .retentionPeriod(Duration.ofSeconds(retentionPeriodSeconds))
                .defaultRetentionDays(defaultRetentionDays).pressurePeriod(Duration.ofMillis(pressurePeriodMs)).build();
        return SinkMain.run(config, metricsPort);
    }
}
