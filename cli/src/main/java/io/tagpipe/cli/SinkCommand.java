package io.tagpipe.cli;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.tagpipe.sink.SinkConfig;
import io.tagpipe.sink.SinkMain;
import io.tagpipe.sink.pressure.PressureRules;
import io.tagpipe.wire.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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

    @Option(names = "--insert-target-ms", defaultValue = "${env:TAGPIPE_SINK_INSERT_TARGET_MS:-2000}",
            description = "how long one INSERT should take at most: when ClickHouse is slow, batches shrink to what it "
                    + "inserted in this time recently (at least 1000 rows), so records of a higher lane never wait "
                    + "long behind a big insert; 0 = off (env TAGPIPE_SINK_INSERT_TARGET_MS, default ${DEFAULT-VALUE})")
    long insertTargetMs;

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

    @Option(names = "--kept-topics", paramLabel = "TOPIC[,TOPIC…]",
            description = "kept topics, highest priority first: while one has lag the ones after it are paused "
                    + "(env TAGPIPE_SINK_KEPT_TOPICS, default every lane: " + DEFAULT_KEPT + ")")
    String keptTopics;

    @Option(names = "--stats-topic", description = "ingest stats topic (env TAGPIPE_SINK_STATS_TOPIC, default " + Topics.STATS + ")")
    String statsTopic;

    @Option(names = "--dlq-topic", description = "dead-letter topic (env TAGPIPE_SINK_DLQ_TOPIC, default " + Topics.DLQ + ")")
    String dlqTopic;

    @Option(names = "--pressure-topic",
            description = "where the pressure level is published (env TAGPIPE_SINK_PRESSURE_TOPIC, default " + Topics.PRESSURE + ")")
    String pressureTopic;

    @Option(names = "--pressure-insert-latency-ms", paramLabel = "L1,L2,L3,L4",
            description = "insert latency (ms) at which the pressure level becomes 1, 2, 3, 4 (env "
                    + "TAGPIPE_SINK_PRESSURE_INSERT_LATENCY_MS, default 2000,5000,15000,30000)")
    String pressureInsertLatency;

    @Option(names = "--pressure-backlog-age-ms", paramLabel = "A1,A2,A3,A4",
            description = "backlog age (ms) at which the level becomes 1..4, counted only while ClickHouse itself is "
                    + "slow, failing or unreachable (env TAGPIPE_SINK_PRESSURE_BACKLOG_AGE_MS, default "
                    + "60000,300000,900000,1800000)")
    String pressureBacklogAge;

    @Option(names = "--pressure-calm-ms", paramLabel = "MS",
            description = "how long the signals must want less before the level falls one step (env "
                    + "TAGPIPE_SINK_PRESSURE_CALM_MS, default 30000)")
    String pressureCalm;

    @Option(names = "--pressure-hold-ms", paramLabel = "MS",
            description = "the least time a level is held (env TAGPIPE_SINK_PRESSURE_HOLD_MS, default 20000)")
    String pressureHold;

    @Spec
    CommandSpec spec;

    static final String DEFAULT_KEPT = "tagpipe.kept.critical,tagpipe.kept.high,tagpipe.kept,tagpipe.kept.low";

    @Override
    public Integer call() throws Exception {
        return SinkMain.run(config(System.getenv()), metricsPort);
    }

    /** The configuration these options and {@code env} give; a bad one is a usage error (exit code 2). */
    SinkConfig config(Map<String, String> env) {
        SinkConfig.Builder b = connection.builder(env).batchRows(batchRows).batchMinRows(batchMinRows)
                .batchMaxWait(Duration.ofMillis(batchMs)).batchBytes(batchBytes)
                .insertTarget(Duration.ofMillis(insertTargetMs))
                .retentionPeriod(Duration.ofSeconds(retentionPeriodSeconds))
                .defaultRetentionDays(defaultRetentionDays).pressurePeriod(Duration.ofMillis(pressurePeriodMs));
        orEnv(keptTopics, env, "TAGPIPE_SINK_KEPT_TOPICS").ifPresent(b::keptTopics);
        orEnv(statsTopic, env, "TAGPIPE_SINK_STATS_TOPIC").ifPresent(b::statsTopic);
        orEnv(dlqTopic, env, "TAGPIPE_SINK_DLQ_TOPIC").ifPresent(b::dlqTopic);
        orEnv(pressureTopic, env, "TAGPIPE_SINK_PRESSURE_TOPIC").ifPresent(b::pressureTopic);
        try {
            b.pressureRules(SinkConfig.pressureRules(withFlags(env), PressureRules.defaults()));
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** {@code env} with the pressure flags given on the command line in place of their variables. */
    private Map<String, String> withFlags(Map<String, String> env) {
        Map<String, String> m = new java.util.HashMap<>(env);
        Map<String, String> flags = new java.util.HashMap<>();
        flags.put("TAGPIPE_SINK_PRESSURE_INSERT_LATENCY_MS", pressureInsertLatency);
        flags.put("TAGPIPE_SINK_PRESSURE_BACKLOG_AGE_MS", pressureBacklogAge);
        flags.put("TAGPIPE_SINK_PRESSURE_CALM_MS", pressureCalm);
        flags.put("TAGPIPE_SINK_PRESSURE_HOLD_MS", pressureHold);
        flags.forEach((k, v) -> {
            if (v != null) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** The option as given (even blank: the builder names it), else the environment variable when set. */
    private static Optional<String> orEnv(String option, Map<String, String> env, String variable) {
        if (option != null) {
            return Optional.of(option);
        }
        String v = env.get(variable);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }
}
