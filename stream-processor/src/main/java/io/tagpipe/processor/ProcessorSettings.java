package io.tagpipe.processor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.PropertiesFiles;
import io.tagpipe.admin.Secrets;
import io.tagpipe.wire.ProcessorTopics;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the processor needs to run. Kafka Streams settings are layered: tagpipe's defaults
 * ({@code exactly_once_v2}, {@link #PRODUCER_DEFAULTS}), then the client file ({@code --kafka-config}),
 * then the Streams file ({@code --config}), then application id and bootstrap servers — so any
 * Streams setting can be changed without code.
 */
public record ProcessorSettings(ClientConfig client, String applicationId, ProcessorTopics topics,
                                Duration statsInterval, Properties streamsConfig) {

    public static final String DEFAULT_APPLICATION_ID = "tagpipe-processor";
    public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(5);

    /**
     * Producer settings of the processor (kept, stats, DLQ and changelog writes), as the collectors
     * ship: measured on the bench's mixed traffic (1M records, same broker, 4 runs), 256 KiB batches
     * took the topology from 146k to 174k rec/s and lz4 on top to 184k (fewer, smaller requests for
     * the broker that shares the cores). A setting given in either file, with or without the
     * {@code producer.} prefix, wins. {@code commit.interval.ms} stays at the exactly-once default
     * of 100 ms: a longer one adds its length to the produce-to-queryable latency (target p99 2 s).
     */
    public static final Map<String, String> PRODUCER_DEFAULTS = Map.of(
            ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024),
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");

    public ProcessorSettings {
        if (statsInterval.isNegative() || statsInterval.isZero()) {
            throw new IllegalArgumentException("stats interval must be positive, got " + statsInterval);
        }
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("application id must not be empty");
        }
        Properties c = new Properties();
        if (streamsConfig != null) {
            for (String k : streamsConfig.stringPropertyNames()) {
                c.put(k, streamsConfig.getProperty(k));
            }
        }
        streamsConfig = c;
    }

    public static ProcessorSettings of(ClientConfig client, String applicationId, Path streamsConfigFile) {
        return new ProcessorSettings(client, applicationId, ProcessorTopics.defaults(), DEFAULT_STATS_INTERVAL,
                streamsConfigFile == null ? new Properties() : PropertiesFiles.load(streamsConfigFile));
    }

    public ProcessorSettings withTopics(ProcessorTopics t) {
        return new ProcessorSettings(client, applicationId, t, statsInterval, streamsConfig);
    }

    public ProcessorSettings withStatsInterval(Duration d) {
        return new ProcessorSettings(client, applicationId, topics, d, streamsConfig);
    }

    /** The lines printed at startup; settings only through {@link Secrets#masked}, so no secret is shown. */
    public List<String> startupSummary() {
        return List.of(
                "tagpipe processor starting",
                "  bootstrap servers  " + client.bootstrapServers(),
                "  application id     " + applicationId,
                "  topics             in " + topics.records() + ", policies " + topics.policies() + ", pressure "
                        + topics.pressure() + " -> kept lanes " + topics.lanes() + " (or the policy's route), stats "
                        + topics.stats() + ", dlq " + topics.dlq() + ", shed " + topics.shed(),
                "  streams config     " + Secrets.masked(streamsProperties()));
    }

    /** The effective Kafka Streams configuration. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.putAll(client.extra());
        p.putAll(streamsConfig);
        // a prefixed default would beat a user's unprefixed setting, so add it only when neither is given
        PRODUCER_DEFAULTS.forEach((k, v) -> {
            if (!p.containsKey(k) && !p.containsKey(StreamsConfig.producerPrefix(k))) {
                p.put(StreamsConfig.producerPrefix(k), v);
            }
        });
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, client.bootstrapServers());
        return p;
    }
}
