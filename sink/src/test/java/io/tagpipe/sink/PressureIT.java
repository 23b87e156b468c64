package io.tagpipe.sink;

import static io.tagpipe.sink.SinkTestSupport.kept;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.tagpipe.sink.pressure.Ladder;
import io.tagpipe.sink.pressure.PressureRules;
import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.Pressure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sink's pressure level on the real broker while a real clickhouse-server 18.16 is frozen (SIGSTOP) and after. */
@ExtendWith(RealServices.class)
class PressureIT {
    private static final Duration PERIOD = Duration.ofMillis(300);
    private static final Duration CALM = Duration.ofMillis(1500);
    private static final Duration HOLD = Duration.ofMillis(1000);
    private static final Duration INSERT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(2);

    @Test
    void aFrozenServerRaisesTheLevelWithAnInsertReasonAndTheLevelReturnsToZeroAfter(KafkaBroker kafka,
                                                                                     ClickHouseServer ch) throws Exception {
        SinkIT.Names n = SinkIT.Names.create(kafka);
        String topic = n.group() + ".pressure";
        kafka.createTopic(topic, 1, Map.of("cleanup.policy", "compact"));
        PressureRules rules = PressureRules.defaults().withTiming(CALM, HOLD)
                .withInsertLatencyMs(Ladder.rising(500, 1_000, 2_000, 4_000));
        SinkConfig config = n.config(kafka, ch).insertTimeout(INSERT_TIMEOUT).backoff(Duration.ofMillis(200), BACKOFF_MAX)
                .pressureTopic(topic).pressurePeriod(PERIOD).pressureRules(rules).build();
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers());
             KafkaConsumer<byte[], byte[]> levels = pressureReader(kafka, topic);
             Sink sink = Sink.start(config, Clock.systemUTC())) {
            List<Pressure> seen = new ArrayList<>();
            SinkTestSupport.send(p, n.kept(), records("before", 100, now));
            await().atMost(Duration.ofSeconds(60)).pollInSameThread()
                    .until(() -> read(levels, n.group(), seen) && count(ch, n.db()) == 100 && last(seen).level() == 0);

            ch.pause();
            Pressure raised;
            try {
                SinkTestSupport.send(p, n.kept(), records("during", 100, now));
                int from = seen.size();
                await().atMost(Duration.ofSeconds(30)).pollInSameThread()
                        .until(() -> read(levels, n.group(), seen) && seen.subList(from, seen.size()).stream()
                                .anyMatch(PressureIT::raisedByInserts));
                raised = seen.subList(from, seen.size()).stream().filter(PressureIT::raisedByInserts).findFirst().orElseThrow();
            } finally {
                ch.resume();
            }
            long resumedAt = System.currentTimeMillis();
            // recovery: the failed insert's timeout plus one backoff, then one calm step per level
            Duration bound = INSERT_TIMEOUT.plus(BACKOFF_MAX)
                    .plus(CALM.plus(PERIOD).multipliedBy(Pressure.MAX)).plus(Duration.ofSeconds(10));
            await().atMost(bound).pollInSameThread()
                    .until(() -> read(levels, n.group(), seen) && last(seen).level() == 0 && last(seen).updatedMs() > resumedAt);
            assertThat(raised.level()).isPositive();
            assertThat(raised.source()).isEqualTo(n.group());
            await().atMost(Duration.ofSeconds(60)).until(() -> count(ch, n.db()) == 200);
            assertThat(sink.isPaused()).isFalse();
        }
        assertThat(ch.queryLong("SELECT uniqExact(id) FROM " + n.db() + ".logs")).isEqualTo(200);
    }

    private static boolean raisedByInserts(Pressure p) {
        return p.level() > 0 && p.reasons().stream().anyMatch(r -> r.startsWith("insert latency") || r.startsWith("insert failures"));
    }

    private static List<Envelope> records(String prefix, int count, long ts) {
        List<Envelope> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(kept(prefix + "-" + i, "billing", ts, 14));
        }
        return out;
    }

    private static KafkaConsumer<byte[], byte[]> pressureReader(KafkaBroker kafka, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicPartition tp = new TopicPartition(topic, 0);
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        return c;
    }

    /** Appends what arrived for this sink's key; true once anything was seen. */
    private static boolean read(KafkaConsumer<byte[], byte[]> c, String group, List<Pressure> seen) throws Exception {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
            if (group.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                seen.add(Pressure.decode(r.value()));
            }
        }
        return !seen.isEmpty();
    }

    private static Pressure last(List<Pressure> seen) {
        return seen.get(seen.size() - 1);
    }

    private static long count(ClickHouseServer ch, String db) {
        return ch.queryLong("SELECT count() FROM " + db + ".logs");
    }
}
