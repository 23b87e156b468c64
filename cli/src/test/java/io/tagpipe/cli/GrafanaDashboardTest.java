package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.ops.AppLabels;
import io.tagpipe.admin.ops.OpsServer;
import io.tagpipe.processor.ProcessorApp;
import io.tagpipe.processor.ProcessorSettings;
import io.tagpipe.processor.RecordMeters;
import io.tagpipe.sink.SinkMeters;
import io.tagpipe.wire.StatsRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric a query of {@code deploy/grafana/tagpipe.json} names is one the programs export: the
 * names come from a registry filled by the production code (the processor's and the sink's meters,
 * their Kafka Streams and consumer binders, the JVM binders), not from a list kept in this test.
 * Offline: the Kafka clients are built, never connected.
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("..").toAbsolutePath().normalize().resolve("deploy/grafana/tagpipe.json");
    /** Metric names in PromQL: our own and the binders' families (functions and labels never start so). */
    private static final Pattern METRIC = Pattern.compile("\\b((?:tagpipe|kafka|jvm|process|system)_[a-z0-9_]+)");

    @Test
    void everyMetricTheDashboardQueriesIsExported(@TempDir Path state) throws Exception {
        Set<String> queried = queriedMetrics();
        assertThat(queried).anyMatch(n -> n.startsWith("tagpipe_processor_")).anyMatch(n -> n.startsWith("tagpipe_sink_"))
                .anyMatch(n -> n.startsWith("kafka_consumer_")).anyMatch(n -> n.startsWith("kafka_stream_"));

        Set<String> exported = exportedMetrics(state);
        assertThat(exported).containsAll(queried);
    }

    /** A query that picks one histogram bucket ({@code le="5.0"}) names a bucket bound the program really exports. */
    @Test
    void everyBucketBoundTheDashboardPicksIsExported(@TempDir Path state) throws Exception {
        Pattern bucket = Pattern.compile("\\b(tagpipe_[a-z0-9_]+_bucket)\\{le=\"([^\"]+)\"}");
        Set<String> picked = new TreeSet<>();
        for (JsonNode expr : new ObjectMapper().readTree(DASHBOARD.toFile()).findValues("expr")) {
            Matcher m = bucket.matcher(expr.asText());
            while (m.find()) {
                picked.add(m.group(1) + " le=" + m.group(2));
            }
        }
        assertThat(picked).isNotEmpty();
        Set<String> exported = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^(tagpipe_[a-z0-9_]+_bucket)\\{[^}]*le=\"([^\"]+)\"").matcher(scrape(state));
        while (m.find()) {
            exported.add(m.group(1) + " le=" + m.group(2));
        }
        assertThat(exported).containsAll(picked);
    }

    private static Set<String> queriedMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> names = new TreeSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher m = METRIC.matcher(expr.asText());
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** A scrape after the processor's and the sink's meters each saw one event of every kind. */
    private static String scrape(Path state) throws Exception {
        PrometheusMeterRegistry registry = OpsServer.newRegistry();
        RecordMeters records = new RecordMeters(registry, new AppLabels(AppLabels.DEFAULT_MAX));
        records.count("billing", StatsRecord.KEPT);
        records.count("billing", StatsRecord.SAMPLED);
        records.level(0);
        SinkMeters sink = new SinkMeters(registry);
        sink.watch(new SinkMeters.State() {
            @Override
            public boolean paused() {
                return false;
            }

            @Override
            public int assignedPartitions() {
                return 1;
            }

            @Override
            public int pressureLevel() {
                return 0;
            }
        });
        sink.delivered(10);
        sink.inserted(5_000_000, 10);
        sink.deadLettered("unreadable");
        sink.delay("tagpipe.kept.critical", 1_200);

        Properties streams = new Properties();
        streams.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        Map<String, Object> consumerProps = new HashMap<>();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        try (ProcessorApp processor = new ProcessorApp(new ProcessorSettings(new ClientConfig("127.0.0.1:9", new Properties()),
                "dashboard-test", io.tagpipe.wire.ProcessorTopics.defaults(), ProcessorSettings.DEFAULT_STATS_INTERVAL, streams),
                records);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                     new ByteArrayDeserializer());
             KafkaClientMetrics binder = sink.bindConsumer(consumer)) {
            return registry.scrape();
        }
    }

    /** Sample names of {@link #scrape}. */
    private static Set<String> exportedMetrics(Path state) throws Exception {
        Set<String> names = new TreeSet<>();
        for (String line : scrape(state).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }
}
