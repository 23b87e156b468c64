package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.policy.PolicyClient;
import io.tagpipe.admin.topics.TopicAdmin;
import io.tagpipe.testkit.ChildJvm;
import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.StatsRecord;
import io.tagpipe.wire.Topics;
import io.tagpipe.wire.policy.Policy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tagpipe processor} and {@code tagpipe sink} as real child JVMs on free ports, with a broker
 * of this test's own (so every record on the topics is one this test sent) and ClickHouse 18.16:
 * {@code /readyz} flips to 200 once the processor runs, {@code /metrics} counts exactly what was
 * sent, and the sink turns not-ready and paused while ClickHouse is down, ready again after.
 */
@ExtendWith(RealServices.class)
class MetricsEndpointsIT {
    private static final String STRICT = "strict-app";   // min_level WARN: INFO dropped
    private static final String OPEN = "open-app";       // everything kept
    private static final String BROKEN = "broken-app";   // sends an unreadable record
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final EnvelopeCodec codec = new EnvelopeCodec();

    @Test
    void processorAndSinkExportWhatTheyDidAndTellTheirHealth(ClickHouseServer ch, @TempDir Path dir) throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
            ClientConfig client = new ClientConfig(kafka.bootstrapServers(), new Properties());
            new TopicAdmin(client, Duration.ofSeconds(60)).createAll(ProcessorTopics.defaults(), 2, (short) 1);
            new PolicyClient(client, Topics.POLICIES, Duration.ofSeconds(30)).putAll(Map.of(
                    STRICT, Policy.of(Map.of("min_level", "WARN", "sample_rate", 1.0)),
                    OPEN, Policy.of(Map.of("sample_rate", 1.0))));
            Path streams = dir.resolve("streams.properties");
            Files.writeString(streams, "state.dir=" + dir.resolve("state") + "\n");
            int processorPort = KafkaBroker.freePort();
            int sinkPort = KafkaBroker.freePort();
            String db = RealServices.unique("metrics");

            kafka.stop(); // no broker: the processor cannot become ready
            try (ChildJvm processor = ChildJvm.start(Tagpipe.class.getName(), List.of("processor",
                    "--bootstrap-servers", kafka.bootstrapServers(), "--application-id", RealServices.unique("app"),
                    "--config", streams.toString(), "--stats-interval", "1", "--metrics-port", Integer.toString(processorPort),
                    "--metrics-apps", "10"), Map.of(), List.of("-Xmx384m"), dir.resolve("processor.log"))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> status(processorPort, "/healthz") == 200);
                assertThat(status(processorPort, "/readyz")).as(processor.output()).isEqualTo(503);
                assertThat(body(processorPort, "/readyz")).startsWith("not ready: streams state");

                kafka.start();
                await().atMost(Duration.ofSeconds(120)).until(() -> status(processorPort, "/readyz") == 200);

                try (ChildJvm sink = ChildJvm.start(Tagpipe.class.getName(), List.of("sink",
                        "--bootstrap-servers", kafka.bootstrapServers(), "--clickhouse-url", ch.url(), "--database", db,
                        "--group-id", RealServices.unique("sink"), "--batch-ms", "200", "--pressure-period", "1000",
                        "--metrics-port", Integer.toString(sinkPort)), Map.of(), List.of("-Xmx384m"), dir.resolve("sink.log"));
                     KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
                    await().atMost(Duration.ofSeconds(120)).until(() -> status(sinkPort, "/readyz") == 200);

                    send(producer, Topics.RECORDS, STRICT, "s-info", "INFO", 5);
                    send(producer, Topics.RECORDS, STRICT, "s-warn", "WARN", 3);
                    send(producer, Topics.RECORDS, OPEN, "o-error", "ERROR", 4);
                    producer.send(new ProducerRecord<>(Topics.RECORDS, utf8(BROKEN), utf8("{not json"))).get();
                    producer.send(new ProducerRecord<>(Topics.KEPT, utf8(OPEN), utf8("{not json either"))).get();

                    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                        String m = body(processorPort, "/metrics");
                        assertThat(value(m, "tagpipe_processor_records_in_total", Map.of("app", STRICT))).isEqualTo(8);
                        assertThat(value(m, "tagpipe_processor_records_kept_total", Map.of("app", STRICT))).isEqualTo(3);
                        assertThat(value(m, "tagpipe_processor_records_dropped_total",
                                Map.of("app", STRICT, "reason", StatsRecord.MIN_LEVEL))).isEqualTo(5);
                        assertThat(value(m, "tagpipe_processor_records_in_total", Map.of("app", OPEN))).isEqualTo(4);
                        assertThat(value(m, "tagpipe_processor_records_kept_total", Map.of("app", OPEN))).isEqualTo(4);
                        assertThat(value(m, "tagpipe_processor_records_dropped_total",
                                Map.of("app", BROKEN, "reason", StatsRecord.UNREADABLE))).isEqualTo(1);
                        assertThat(value(m, "tagpipe_processor_pressure_level", Map.of())).isZero();
                        assertThat(m).contains("kafka_stream_");
                    });
                    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                        assertThat(count(ch, db + ".logs")).isEqualTo(7);
                        String m = body(sinkPort, "/metrics");
                        long rows = count(ch, db + ".logs") + count(ch, db + ".metrics") + count(ch, db + ".ingest_stats");
                        assertThat(value(m, "tagpipe_sink_rows_written_total", Map.of())).isEqualTo(rows);
                        assertThat(value(m, "tagpipe_sink_batch_rows_sum", Map.of())).as("rows and the dead letter")
                                .isEqualTo(rows + 1);
                        // at least one timed INSERT per table holding rows (a batch of dead letters only has none)
                        long tablesWithRows = java.util.stream.Stream.of(".logs", ".metrics", ".ingest_stats")
                                .filter(t -> count(ch, db + t) > 0).count();
                        assertThat(value(m, "tagpipe_sink_insert_seconds_count", Map.of()))
                                .isGreaterThanOrEqualTo(tablesWithRows).isPositive();
                        assertThat(value(m, "tagpipe_sink_batch_rows_count", Map.of())).isPositive();
                        assertThat(value(m, "tagpipe_sink_dead_letters_total", Map.of())).isEqualTo(1);
                        assertThat(value(m, "tagpipe_sink_delay_seconds_count", Map.of()))
                                .as("every logs and metrics row's produce→acknowledged delay, per lane")
                                .isEqualTo(count(ch, db + ".logs") + count(ch, db + ".metrics"));
                        assertThat(value(m, "tagpipe_sink_paused", Map.of())).isZero();
                        assertThat(value(m, "tagpipe_sink_assigned_partitions", Map.of())).isPositive();
                        assertThat(value(m, "tagpipe_sink_pressure_level", Map.of())).isZero();
                        assertThat(m).contains("kafka_consumer_fetch_manager_records_lag_max{");
                    });

                    ch.kill();
                    try {
                        send(producer, Topics.RECORDS, OPEN, "o-late", "ERROR", 2); // the insert of these fails
                        await().atMost(Duration.ofSeconds(90)).until(() -> status(sinkPort, "/readyz") == 503);
                        assertThat(body(sinkPort, "/readyz")).contains("paused");
                        assertThat(status(sinkPort, "/healthz")).isEqualTo(200);
                        assertThat(value(body(sinkPort, "/metrics"), "tagpipe_sink_paused", Map.of())).isEqualTo(1);
                    } finally {
                        ch.start();
                    }
                    await().atMost(Duration.ofSeconds(120)).until(() -> status(sinkPort, "/readyz") == 200);
                    await().atMost(Duration.ofSeconds(60)).until(() -> count(ch, db + ".logs") == 9);
                    assertThat(value(body(sinkPort, "/metrics"), "tagpipe_sink_paused", Map.of())).isZero();
                    assertThat(sink.isAlive()).as(sink.output()).isTrue();
                }
                assertThat(processor.isAlive()).as(processor.output()).isTrue();
            }
        } finally {
            ch.start(); // for the next test of this JVM, whatever happened here
        }
    }

    private void send(KafkaProducer<byte[], byte[]> producer, String topic, String app, String idPrefix, String level, int n)
            throws Exception {
        for (int i = 0; i < n; i++) {
            Envelope e = Envelope.log(idPrefix + "-" + i, app, System.currentTimeMillis()).level(level).message("m" + i).build();
            producer.send(new ProducerRecord<>(topic, utf8(app), codec.encode(e))).get();
        }
    }

    private int status(int port, String path) {
        try {
            return get(port, path).statusCode();
        } catch (Exception notListeningYet) {
            return -1;
        }
    }

    private String body(int port, String path) throws Exception {
        return get(port, path).body();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of the samples of {@code name} whose labels include {@code labels}; NaN when there is none. */
    static double value(String prometheusText, String name, Map<String, String> labels) {
        double sum = 0;
        boolean found = false;
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            String series = line.substring(0, line.lastIndexOf(' '));
            if (labels.entrySet().stream().allMatch(l -> series.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }

    private static long count(ClickHouseServer ch, String table) {
        try {
            return ch.queryLong("SELECT count() FROM " + table);
        } catch (RuntimeException notThereYet) {
            return -1;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

}
