package io.tagpipe.admin.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tagpipe.admin.ClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;

/** {@code tagpipe topics tail} against a real broker: the newest records across partitions, headers, absent topics. */
@ExtendWith(RealServices.class)
class TopicTailIT {
    @Test
    void theNewestRecordsOfAllPartitionsComeBackOldestFirstWithTheirHeaders(KafkaBroker kafka) throws Exception {
        String topic = RealServices.unique("tail");
        kafka.createTopic(topic, 2);
        long base = System.currentTimeMillis() - 60_000;
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            for (int i = 0; i < 30; i++) {
                var r = new ProducerRecord<>(topic, i % 2, base + i, "k" + i, ("value-" + i).getBytes(StandardCharsets.UTF_8));
                r.headers().add("reason", ("r" + i).getBytes(StandardCharsets.UTF_8));
                producer.send(r);
            }
        }
        TopicTail tail = new TopicTail(new ClientConfig(kafka.bootstrapServers(), new Properties()), Duration.ofSeconds(30));

        List<TopicTail.Line> lines = tail.newest(topic, 5);

        assertThat(lines).extracting(TopicTail.Line::value)
                .containsExactly("value-25", "value-26", "value-27", "value-28", "value-29");
        assertThat(lines.get(0).headers()).isEqualTo(Map.of("reason", "r25"));
        assertThat(lines.get(0).key()).isEqualTo("k25");
        assertThat(lines.get(0).partition()).isEqualTo(1);
        assertThat(lines.get(0).offset()).isEqualTo(12); // the 13th record of partition 1
        assertThat(tail.newest(topic, 100)).hasSize(30);
    }

    @Test
    void followHandsOverRecordsThatArriveAfterItStartedAndStopsWhenAsked(KafkaBroker kafka) throws Exception {
        String topic = RealServices.unique("follow");
        kafka.createTopic(topic, 2);
        TopicTail tail = new TopicTail(new ClientConfig(kafka.bootstrapServers(), new Properties()), Duration.ofSeconds(30));
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>(topic, 0, "old", "before".getBytes(StandardCharsets.UTF_8))).get();
            Queue<TopicTail.Line> seen = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            var follower = CompletableFuture.runAsync(() -> tail.follow(topic, seen::add, stop::get));
            // records sent until the follower (which starts at the end) has seen one: "before" must never show
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                producer.send(new ProducerRecord<>(topic, 1, "new", "after".getBytes(StandardCharsets.UTF_8))).get();
                return !seen.isEmpty();
            });
            stop.set(true);
            follower.get(30, TimeUnit.SECONDS);
            assertThat(seen).extracting(TopicTail.Line::value).containsOnly("after");
        }
    }

    @Test
    void latestPerKeyKeepsEachKeysLastValueDropsTombstonedKeysAndSkipsKeylessRecords(KafkaBroker kafka) throws Exception {
        String topic = RealServices.unique("latest");
        kafka.createTopic(topic, 2);
        long ts = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            // "a" is rewritten with an older timestamp: the offset, not the timestamp, says which value is last
            producer.send(new ProducerRecord<>(topic, 0, ts, "a", "a1".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, 0, ts - 10_000, "a", "a2".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, 1, ts, "b", "b1".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, 1, ts, "b", (byte[]) null)).get();
            producer.send(new ProducerRecord<>(topic, 1, ts, "c", "c1".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, 1, ts, null, "keyless".getBytes(StandardCharsets.UTF_8))).get();
        }
        TopicTail tail = new TopicTail(new ClientConfig(kafka.bootstrapServers(), new Properties()), Duration.ofSeconds(30));

        Map<String, TopicTail.Line> latest = tail.latestPerKey(topic);

        assertThat(latest).containsOnlyKeys("a", "c");
        assertThat(latest.get("a").value()).isEqualTo("a2");
        assertThat(latest.get("c").value()).isEqualTo("c1");
    }

    @Test
    void anEmptyTopicHasNoLinesAndAMissingTopicIsAClearError(KafkaBroker kafka) {
        String topic = RealServices.unique("empty");
        kafka.createTopic(topic, 1);
        TopicTail tail = new TopicTail(new ClientConfig(kafka.bootstrapServers(), new Properties()), Duration.ofSeconds(5));

        assertThat(tail.newest(topic, 5)).isEmpty();
        assertThatThrownBy(() -> tail.newest(RealServices.unique("missing"), 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
    }

    private static KafkaProducer<String, byte[]> producer(KafkaBroker kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
