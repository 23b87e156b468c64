package io.tagpipe.admin.topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.tagpipe.admin.ClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The newest records of a topic, read without a consumer group (nothing is committed, no running
 * consumer is disturbed): what {@code tagpipe topics tail} prints, e.g. why records went to the DLQ.
 * Reads {@code read_committed}, so aborted processor transactions are not shown.
 */
public final class TopicTail {
    /** One record as shown: value and headers as text (UTF-8, invalid bytes replaced). */
    public record Line(long timestamp, int partition, long offset, String key, Map<String, String> headers, String value,
                       int valueBytes) {
    }

    private final ClientConfig client;
    private final Duration timeout;

    public TopicTail(ClientConfig client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /**
     * The {@code n} newest records (by record timestamp, then partition and offset), oldest first.
     *
     * @throws IllegalArgumentException when the topic does not exist
     */
    public List<Line> newest(String topic, int n) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> parts = assignAll(consumer, topic);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
            Map<TopicPartition, Long> remaining = new LinkedHashMap<>();
            for (TopicPartition tp : parts) {
                // the newest n of the whole topic are among the newest n of each partition
                consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - n));
                if (end.get(tp) > begin.get(tp)) {
                    remaining.put(tp, end.get(tp));
                }
            }
            List<Line> lines = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    lines.add(line(r));
                }
                // done with a partition once its position passed the end seen at the start (transaction markers included)
                remaining.keySet().removeIf(tp -> consumer.position(tp, timeout) >= remaining.get(tp));
            }
            lines.sort(Comparator.comparingLong(Line::timestamp).thenComparingInt(Line::partition)
                    .thenComparingLong(Line::offset));
            return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
    }

    /**
     * The last value of every key of a compacted topic, read to its end (a tombstone removes its key;
     * records without a key are skipped), by key.
     *
     * @throws IllegalArgumentException when the topic does not exist
     */
    public Map<String, Line> latestPerKey(String topic) {
        Map<String, Line> latest = new TreeMap<>();
        newest(topic, Integer.MAX_VALUE).stream()
                .filter(l -> l.key() != null)
                .sorted(Comparator.comparingInt(Line::partition).thenComparingLong(Line::offset))
                .forEach(l -> {
                    if (l.value() == null) {
                        latest.remove(l.key());
                    } else {
                        latest.put(l.key(), l);
                    }
                });
        return latest;
    }

    /**
     * Hands every record that arrives on {@code topic} after the call to {@code sink}, until
     * {@code stop} says so (checked at least every 200 ms); {@code tail -f} for a topic.
     *
     * @throws IllegalArgumentException when the topic does not exist
     */
    public void follow(String topic, Consumer<Line> sink, BooleanSupplier stop) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> parts = assignAll(consumer, topic);
            consumer.seekToEnd(parts);
            parts.forEach(tp -> consumer.position(tp, timeout)); // fix the start now, not at the first poll
            while (!stop.getAsBoolean()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    sink.accept(line(r));
                }
            }
        }
    }

    /** Every partition of {@code topic}, assigned (no group). */
    private List<TopicPartition> assignAll(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic '" + topic + "' does not exist");
        }
        List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(parts);
        return parts;
    }

    private static Line line(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        String value = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
        return new Line(r.timestamp(), r.partition(), r.offset(), key, headers, value, r.value() == null ? 0 : r.value().length);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = client.properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, client.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tagpipe-topics-tail");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
