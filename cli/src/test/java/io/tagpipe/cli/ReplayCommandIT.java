package io.tagpipe.cli;

import static io.tagpipe.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.policy.PolicyClient;
import io.tagpipe.admin.topics.TopicAdmin;
import io.tagpipe.processor.ProcessorApp;
import io.tagpipe.processor.ProcessorSettings;
import io.tagpipe.sink.ClickHouseStore;
import io.tagpipe.sink.Sink;
import io.tagpipe.sink.SinkConfig;
import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.EachClickHouse;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.Pressure;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.policy.Policy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code tagpipe replay} against a real processor that sheds at a forced pressure level, a real sink,
 * the real broker and each real ClickHouse: exactly the app's shed records of the window come back,
 * once, counted as replayed; a second replay finds nothing to do; records deleted from Kafka are
 * reported as no longer held.
 */
@ExtendWith(RealServices.class)
class ReplayCommandIT {
    private static final int A_RECENT = 30;
    private static final int A_METRICS = 5;
    private static final int A_OLD = 10;
    private static final int B_RECENT = 20;
    private static final int CRIT = 10;
    private static final int B_DELETED = 7;
    private final EnvelopeCodec codec = new EnvelopeCodec();

    /** The apps of one run: labels are [a-z0-9._:-], unique per run on the shared broker. */
    private record Apps(String a, String b, String crit) {
        static Apps unique() {
            String s = RealServices.unique("r").replace('_', '-');
            return new Apps("shed-a-" + s, "shed-b-" + s, "crit-" + s);
        }
    }

    @EachClickHouse
    void replaysExactlyTheAppsShedRecordsOfTheWindow_once_andReportsWhatKafkaNoLongerHolds(KafkaBroker kafka,
            ClickHouse ch) throws Exception {
        String prefix = RealServices.unique("replay") + ".";
        String db = RealServices.unique("replay");
        String group = RealServices.unique("replay-sink");
        ProcessorTopics topics = ProcessorTopics.prefixed(prefix);
        ClientConfig client = new ClientConfig(kafka.bootstrapServers(), new Properties());
        new TopicAdmin(client, Duration.ofSeconds(60)).createAll(topics, 2, (short) 1);
        try (Admin admin = kafka.admin()) {
            KafkaBroker.awaitLeaders(admin, topics.all(), Duration.ofSeconds(60));
        }
        Apps apps = Apps.unique();
        new PolicyClient(client, topics.policies(), Duration.ofSeconds(30)).putAll(Map.of(
                apps.a(), Policy.of(Map.of("importance", "low", "sample_rate", 1.0)),
                apps.b(), Policy.of(Map.of("importance", "low", "sample_rate", 1.0)),
                apps.crit(), Policy.of(Map.of("importance", "critical"))));
        long now = System.currentTimeMillis();
        List<RecordMetadata> bOffsets = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            // level 3: low apps keep nothing, critical ones everything. Confirmed 10 minutes ahead so the level
            // stays fresh however long the processor takes to start on a loaded machine.
            producer.send(new ProducerRecord<>(topics.pressure(), bytes("forced-by-test"),
                    new Pressure(3, List.of("forced by the test"), now, now + 600_000, "forced-by-test").encode())).get();
            try (ProcessorApp processor = new ProcessorApp(processorSettings(client, topics));
                 Sink sink = Sink.start(sinkConfig(kafka, ch, db, group, topics), Clock.systemUTC())) {
                processor.start();
                assertThat(processor.awaitRunning(Duration.ofSeconds(120))).isTrue();
                send(producer, topics, apps.a(), "recent", A_RECENT, now - 600_000);
                sendMetrics(producer, topics, apps.a(), A_METRICS, now - 600_000);
                send(producer, topics, apps.a(), "old", A_OLD, now - 3 * 3_600_000);
                bOffsets.addAll(send(producer, topics, apps.b(), "recent", B_RECENT, now - 600_000));
                send(producer, topics, apps.crit(), "recent", CRIT, now - 600_000);

                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(stats(ch, db, apps.a(), "shed")).isEqualTo(A_RECENT + A_METRICS + A_OLD);
                    assertThat(stats(ch, db, apps.b(), "shed")).isEqualTo(B_RECENT);
                    assertThat(stats(ch, db, apps.crit(), "kept")).isEqualTo(CRIT);
                    assertThat(rows(ch, db, apps.crit())).isEqualTo(CRIT);
                });
                assertThat(rows(ch, db, apps.a())).isZero();
                String[] conn = {"--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", prefix,
                        "--clickhouse-url", ch.url(), "--database", db, "--app", apps.a()};

                long lowLaneEnd = endOffsets(kafka, topics.lane(io.tagpipe.wire.policy.Importance.LOW));
                String dry = run(concat(conn, "--since", "1h", "--dry-run"));
                int aWindow = A_RECENT + A_METRICS;
                assertThat(dry).startsWith("0\n").contains("shed in window: " + aWindow + ", already in ClickHouse: 0, "
                        + "no longer held by Kafka: 0, to replay: " + aWindow)
                        .contains("dry run: " + aWindow + " would come back, 0 are no longer held by Kafka");
                assertThat(endOffsets(kafka, topics.lane(io.tagpipe.wire.policy.Importance.LOW)))
                        .as("a dry run writes nothing").isEqualTo(lowLaneEnd);
                assertThat(run(concat(conn, "--since", "4h", "--until", "1h", "--dry-run")))
                        .contains("to replay: " + A_OLD);

                String replay = run(concat(conn, "--since", "1h", "--wait", "--sink-group", group));

                assertThat(replay).startsWith("0\n").contains("replayed " + aWindow + " records of '" + apps.a() + "'")
                        .contains("sink group " + group + " has stored the replayed records");
                // --wait returned: the rows and counts are in ClickHouse now
                assertThat(rows(ch, db, apps.a())).isEqualTo(A_RECENT);
                assertThat(ch.queryLong("SELECT uniqExact(id) FROM " + db + ".logs WHERE app = '" + apps.a() + "'"))
                        .isEqualTo(A_RECENT);
                assertThat(Set.of(ch.query("SELECT id FROM " + db + ".logs WHERE app = '" + apps.a() + "'")
                        .strip().split("\n"))).isEqualTo(ids(apps.a(), "recent", A_RECENT));
                assertThat(ch.queryLong("SELECT uniqExact(id) FROM " + db + ".metrics WHERE app = '" + apps.a() + "'"))
                        .isEqualTo(A_METRICS);
                assertThat(ch.queryLong("SELECT count() FROM " + db + ".metrics WHERE app = '" + apps.a() + "'"))
                        .isEqualTo(A_METRICS);
                assertThat(stats(ch, db, apps.a(), "replayed")).isEqualTo(aWindow);
                assertThat(stats(ch, db, apps.b(), "replayed")).as("other apps untouched").isZero();
                assertThat(rows(ch, db, apps.b())).isZero();
                assertThat(rows(ch, db, apps.crit())).isEqualTo(CRIT);
                JsonNode report = new ObjectMapper().readTree(run("report", "--clickhouse-url", ch.url(), "--database", db,
                        "--app", apps.a(), "--format", "json").substring(2)).get(0);
                assertThat(report.get("received").asLong()).isEqualTo(aWindow + A_OLD);
                assertThat(report.get("shed_net").asLong()).isEqualTo(A_OLD);
                assertThat(report.get("replayed").asLong()).isEqualTo(aWindow);
                assertThat(report.get("stored").asLong()).isEqualTo(aWindow);

                String again = run(concat(conn, "--since", "1h", "--wait", "--sink-group", group));
                assertThat(again).startsWith("0\n").contains("already in ClickHouse: " + aWindow).contains("to replay: 0");
                assertThat(rows(ch, db, apps.a())).isEqualTo(A_RECENT);
                assertThat(stats(ch, db, apps.a(), "replayed")).isEqualTo(aWindow);

                RecordMetadata cut = bOffsets.get(B_DELETED);
                try (Admin admin = kafka.admin()) {
                    admin.deleteRecords(Map.of(new TopicPartition(cut.topic(), cut.partition()),
                            RecordsToDelete.beforeOffset(cut.offset()))).all().get();
                }
                String[] connB = conn.clone();
                connB[connB.length - 1] = apps.b();
                assertThat(run(concat(connB, "--since", "1h", "--dry-run")))
                        .contains("no longer held by Kafka: " + B_DELETED + ", to replay: " + (B_RECENT - B_DELETED))
                        .contains("dry run: " + (B_RECENT - B_DELETED) + " would come back, " + B_DELETED
                                + " are no longer held by Kafka");
            }
        }
    }

    @EachClickHouse
    void operatorMistakesAreClearErrorsWithANonZeroExit(KafkaBroker kafka, ClickHouse ch) throws Exception {
        String db = RealServices.unique("replay_err");
        try (ClickHouseStore store = new ClickHouseStore(ch.url(), "default", "", db, Duration.ofSeconds(30))) {
            store.ensureSchema();
        }
        String[] conn = {"--bootstrap-servers", kafka.bootstrapServers(), "--clickhouse-url", ch.url()};

        assertThat(run(concat(conn, "--database", db, "--app", "no-such-app", "--since", "1h")))
                .startsWith("1\n").contains("unknown app 'no-such-app'").doesNotContain("Exception");
        assertThat(run(concat(conn, "--database", "system", "--app", "x", "--since", "1h")))
                .startsWith("1\n").contains("no table system.logs").contains("has the sink run");
        assertThat(run(concat(conn, "--database", db, "--app", "x", "--since", "1h", "--until", "2h")))
                .startsWith("1\n").contains("window is empty");
        assertThat(run(concat(conn, "--database", db, "--app", "x", "--since", "yesterday")))
                .startsWith("1\n").contains("--since must be an age");
    }

    @org.junit.jupiter.api.Test
    void helpExplainsTheWindowAndTheDedup() {
        String help = run("replay", "--help");

        assertThat(help).startsWith("0\n").contains("Window:").contains("Dedup:").contains("--dry-run").contains("--wait");
    }

    private static String[] concat(String[] conn, String... more) {
        List<String> all = new ArrayList<>(List.of("replay"));
        all.addAll(List.of(conn));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private List<RecordMetadata> send(KafkaProducer<byte[], byte[]> producer, ProcessorTopics topics, String app,
            String tag, int n, long ts) throws Exception {
        List<RecordMetadata> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Envelope e = Envelope.log(app + "-" + tag + "-" + i, app, ts + i).level("INFO").message("m" + i).build();
            out.add(producer.send(new ProducerRecord<>(topics.records(), bytes(app), codec.encode(e))).get());
        }
        return out;
    }

    private void sendMetrics(KafkaProducer<byte[], byte[]> producer, ProcessorTopics topics, String app, int n, long ts)
            throws Exception {
        for (int i = 0; i < n; i++) {
            Envelope e = Envelope.metric(app + "-metric-" + i, app, ts + i).name("queue.depth").value((double) i)
                    .type("gauge").build();
            producer.send(new ProducerRecord<>(topics.records(), bytes(app), codec.encode(e))).get();
        }
    }

    private static Set<String> ids(String app, String tag, int n) {
        return new HashSet<>(IntStream.range(0, n).mapToObj(i -> app + "-" + tag + "-" + i).toList());
    }

    private static long stats(ClickHouse ch, String db, String app, String reason) {
        return ch.queryLong("SELECT sum(count) FROM " + db + ".ingest_stats WHERE app = '" + app + "' AND reason = '"
                + reason + "'");
    }

    private static long rows(ClickHouse ch, String db, String app) {
        return ch.queryLong("SELECT count() FROM " + db + ".logs WHERE app = '" + app + "'");
    }

    private static long endOffsets(KafkaBroker kafka, String topic) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(p,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            return consumer.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }


    private static ProcessorSettings processorSettings(ClientConfig client, ProcessorTopics topics) throws Exception {
        Properties streams = new Properties();
        streams.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("tagpipe-replay-it").toString());
        return new ProcessorSettings(client, RealServices.unique("replay-proc"), topics, Duration.ofSeconds(1), streams);
    }

    private static SinkConfig sinkConfig(KafkaBroker kafka, ClickHouse ch, String db, String group, ProcessorTopics topics) {
        return SinkConfig.builder().bootstrapServers(kafka.bootstrapServers()).clickhouseUrl(ch.url()).database(db)
                .groupId(group).keptTopics(topics.lanes()).statsTopic(topics.stats()).dlqTopic(topics.dlq())
                .pressureTopic(topics.pressure()).batchMaxWait(Duration.ofMillis(300)).build();
    }
}
