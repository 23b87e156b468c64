package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.topics.TopicAdmin;
import io.tagpipe.sink.Sink;
import io.tagpipe.sink.SinkConfig;
import io.tagpipe.sink.pressure.Ladder;
import io.tagpipe.sink.pressure.PressureRules;
import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.Pressure;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.policy.Importance;

/**
 * {@code tagpipe status} against the real broker, a real sink and a real clickhouse-server 18.16:
 * the sink's own pressure records (level, reasons, paused) and lag numbers equal to what the test
 * produced and what the sink could not store while ClickHouse was frozen (SIGSTOP). Status reads
 * Kafka only; 18.16 is here because it can be frozen (the 26.7 engine answers in process).
 */
@ExtendWith(RealServices.class)
class StatusCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EnvelopeCodec CODEC = new EnvelopeCodec();
    private static final Duration PERIOD = Duration.ofMillis(300);

    @Test
    void showsTheSinksLevelReasonsAndPauseAndTheLagsTheTestProduced(KafkaBroker kafka, ClickHouseServer ch) throws Exception {
        String id = RealServices.unique("status");
        ProcessorTopics topics = ProcessorTopics.prefixed(id + ".");
        new TopicAdmin(ClientConfig.of(kafka.bootstrapServers(), null), Duration.ofSeconds(60)).createAll(topics, 2, (short) 1);
        String sinkGroup = id + "-sink";
        String processorGroup = id + "-processor";
        String[] status = {"status", "--json", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", id + ".",
            "--group-id", sinkGroup, "--application-id", processorGroup};
        String critical = topics.lane(Importance.CRITICAL);
        String low = topics.lane(Importance.LOW);
        long now = System.currentTimeMillis();
        // a retired sink: its last record is ten minutes old
        Pressure retired = new Pressure(3, List.of("insert latency 9.0 s"), now - 3_600_000, now - 600_000, "retired", false);
        try (KafkaProducer<byte[], byte[]> p = producer(kafka)) {
            send(p, topics.pressure(), 0, "retired", retired.encode(), 1);
            send(p, topics.records(), 0, "billing", "{}".getBytes(StandardCharsets.UTF_8), 10);
            send(p, topics.dlq(), 1, "x", "bad".getBytes(StandardCharsets.UTF_8), 3);
            send(p, topics.shed(), 0, "search", "{}".getBytes(StandardCharsets.UTF_8), 4);
            try (Admin admin = kafka.admin()) {
                // the processor's group has read 4 of the 10 records of partition 0 and nothing of partition 1
                admin.alterConsumerGroupOffsets(processorGroup,
                        Map.of(new TopicPartition(topics.records(), 0), new OffsetAndMetadata(4))).all().get(30, TimeUnit.SECONDS);
            }

            Sink sink = Sink.start(sinkConfig(kafka, ch, id, topics, sinkGroup), Clock.systemUTC());
            boolean sinkClosed = false;
            try {
                sendKept(p, critical, "c", 30, now);
                sendKept(p, low, "l", 20, now);
                JsonNode caughtUp = awaitStatus(status, j -> sinkEntry(j, sinkGroup) != null
                        && j.get("sink_group").get("lag").asLong() == 0 && j.get("sink_group").get("members").asInt() == 1);
                JsonNode s = sinkEntry(caughtUp, sinkGroup);
                assertThat(s.get("paused").asBoolean()).isFalse();
                assertThat(s.get("stale").asBoolean()).isFalse();
                assertThat(lanes(caughtUp)).containsExactly(Map.entry(topics.lane(Importance.CRITICAL), 0L),
                        Map.entry(topics.lane(Importance.HIGH), 0L), Map.entry(topics.kept(), 0L), Map.entry(low, 0L));
                assertThat(ch.queryLong("SELECT count() FROM " + id + ".logs")).isEqualTo(50);
                JsonNode r = sinkEntry(caughtUp, "retired");
                assertThat(r.get("stale").asBoolean()).isTrue();
                assertThat(r.get("level").asInt()).isEqualTo(retired.level());
                assertThat(caughtUp.get("level").asInt()).as("a stale level counts for nothing").isEqualTo(s.get("level").asInt());
                assertThat(caughtUp.get("processor").get("lag").asLong()).isEqualTo(10 - 4);
                assertThat(caughtUp.get("processor").get("members").asInt()).isZero();
                assertThat(caughtUp.get("dlq").get("records").asLong()).isEqualTo(3);
                assertThat(caughtUp.get("shed").get("records").asLong()).isEqualTo(4);

                ch.pause();
                try {
                    sendKept(p, critical, "c2", 7, now);
                    sendKept(p, low, "l2", 5, now);
                    JsonNode frozen = awaitStatus(status, j -> sinkEntry(j, sinkGroup) != null
                            && sinkEntry(j, sinkGroup).get("paused").asBoolean() && sinkEntry(j, sinkGroup).get("level").asInt() > 0);
                    assertThat(sinkEntry(frozen, sinkGroup).get("reasons")).isNotEmpty();
                    assertThat(frozen.get("level").asInt()).isEqualTo(sinkEntry(frozen, sinkGroup).get("level").asInt());
                    assertThat(lanes(frozen)).containsExactly(Map.entry(topics.lane(Importance.CRITICAL), 7L),
                            Map.entry(topics.lane(Importance.HIGH), 0L), Map.entry(topics.kept(), 0L), Map.entry(low, 5L));
                    assertThat(frozen.get("sink_group").get("members").asInt()).isEqualTo(1);

                    sink.close(); // stops publishing: the last record on the topic is what status must show
                    sinkClosed = true;
                    JsonNode stopped = JSON.readTree(run(status).out);
                    Pressure last = lastRecord(kafka, topics.pressure(), sinkGroup);
                    JsonNode e = sinkEntry(stopped, sinkGroup);
                    assertThat(last.paused()).isTrue();
                    assertThat(e.get("level").asInt()).isEqualTo(last.level());
                    assertThat(e.get("paused").asBoolean()).isEqualTo(last.paused());
                    assertThat(JSON.convertValue(e.get("reasons"), List.class)).isEqualTo(last.reasons());
                    assertThat(e.get("since_ms").asLong()).isEqualTo(last.sinceMs());
                    assertThat(e.get("updated_ms").asLong()).isEqualTo(last.updatedMs());
                    assertThat(stopped.get("sink_group").get("members").asInt()).isZero();
                    assertThat(stopped.get("sink_group").get("lag").asLong()).as("nothing committed while paused").isEqualTo(7 + 5);

                    Result table = run(status[0], "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", id + ".",
                            "--group-id", sinkGroup, "--application-id", processorGroup);
                    assertThat(table.code).isZero();
                    assertThat(table.out).contains("STALE", "sink group " + sinkGroup, "processor " + processorGroup);
                    assertThat(table.out.lines().filter(l -> l.strip().startsWith(sinkGroup + " "))).singleElement()
                            .satisfies(l -> assertThat(l).contains("yes", String.join("; ", last.reasons())));
                } finally {
                    ch.resume();
                }
            } finally {
                if (!sinkClosed) {
                    sink.close();
                }
            }
        }
    }

    @Test
    void anUnreachableBrokerIsAClearErrorWithinTheTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Result r = run("status", "--bootstrap-servers", "127.0.0.1:" + port, "--timeout", "2s");

        assertThat(r.code).isEqualTo(StatusCommand.UNREACHABLE);
        assertThat(r.err).contains("tagpipe status: Kafka at 127.0.0.1:" + port + " did not answer within 2 s");
        assertThat(r.out).isEmpty();
    }

    private static SinkConfig sinkConfig(KafkaBroker kafka, ClickHouseServer ch, String db, ProcessorTopics topics, String group) {
        // insert latency raises the level quickly; a long calm period keeps it up while the test looks
        PressureRules rules = PressureRules.defaults().withTiming(Duration.ofSeconds(60), Duration.ofSeconds(1))
                .withInsertLatencyMs(Ladder.rising(500, 1_000, 2_000, 4_000));
        return SinkConfig.builder().bootstrapServers(kafka.bootstrapServers()).clickhouseUrl(ch.url()).database(db)
                .groupId(group).keptTopics(topics.lanes()).statsTopic(topics.stats()).dlqTopic(topics.dlq())
                .batchMaxWait(Duration.ofMillis(200)).backoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                .insertTimeout(Duration.ofSeconds(2)).pressureTopic(topics.pressure()).pressurePeriod(PERIOD)
                .pressureRules(rules).build();
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Tagpipe.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static JsonNode awaitStatus(String[] args, java.util.function.Predicate<JsonNode> done) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            Result r = run(args);
            assertThat(r.code).as(r.err).isZero();
            last[0] = JSON.readTree(r.out);
            return done.test(last[0]);
        });
        return last[0];
    }

    private static JsonNode sinkEntry(JsonNode status, String key) {
        for (JsonNode s : status.get("sinks")) {
            if (s.get("sink").asText().equals(key)) {
                return s;
            }
        }
        return null;
    }

    private static List<Map.Entry<String, Long>> lanes(JsonNode status) {
        List<Map.Entry<String, Long>> out = new ArrayList<>();
        status.get("sink_group").get("topics").forEach(t -> out.add(Map.entry(t.get("topic").asText(), t.get("lag").asLong())));
        return out;
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** {@code count} records to one partition, every ack awaited. */
    private static void send(KafkaProducer<byte[], byte[]> p, String topic, int partition, String key, byte[] value,
                             int count) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            acks.add(p.send(new ProducerRecord<>(topic, partition, key.getBytes(StandardCharsets.UTF_8), value)));
        }
        for (Future<RecordMetadata> f : acks) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    /** Kept log records as the processor writes them, spread over both partitions of the lane. */
    private static void sendKept(KafkaProducer<byte[], byte[]> p, String lane, String prefix, int count, long ts) throws Exception {
        for (int i = 0; i < count; i++) {
            Envelope e = Envelope.log(prefix + "-" + i, "billing", ts).level("INFO").message("m " + i).build()
                    .withPolicy(1.0, 14, "critical");
            send(p, lane, i % 2, "billing", CODEC.encode(e), 1);
        }
    }

    private static Pressure lastRecord(KafkaBroker kafka, String topic, String key) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            Pressure last = null;
            while (c.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        last = Pressure.decode(r.value());
                    }
                }
            }
            return last;
        }
    }
}
