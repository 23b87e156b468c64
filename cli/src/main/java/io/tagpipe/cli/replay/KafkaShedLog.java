package io.tagpipe.cli.replay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.wire.ShedEntry;
import io.tagpipe.wire.UnreadableRecordException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the shed topic from its start to its end as of now (committed records only: an aborted
 * processor transaction shed nothing), keeping the app's entries in the window. No consumer group:
 * a replay commits nothing and can run any number of times.
 */
public final class KafkaShedLog implements ShedLog {
    private final ClientConfig client;
    private final String topic;
    private final Duration timeout;
    private final Consumer<String> warnings;

    public KafkaShedLog(ClientConfig client, String topic, Duration timeout, Consumer<String> warnings) {
        this.client = client;
        this.topic = topic;
        this.timeout = timeout;
        this.warnings = warnings;
    }

    @Override
    public List<ShedEntry> read(String app, ReplayWindow window) {
        byte[] key = app.getBytes(StandardCharsets.UTF_8);
        List<ShedEntry> out = new ArrayList<>();
        int unreadable = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(client)) {
            List<TopicPartition> parts = KafkaSourceRecords.partitions(consumer, topic, timeout);
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new ReplayException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() == null || !Arrays.equals(r.key(), key) || r.value() == null) {
                        continue;
                    }
                    try {
                        ShedEntry e = ShedEntry.decode(r.value());
                        if (window.contains(e.ts())) {
                            out.add(e);
                        }
                    } catch (UnreadableRecordException e) {
                        unreadable++;
                    }
                }
            }
        }
        if (unreadable > 0) {
            warnings.accept("skipped " + unreadable + " unreadable entries of '" + app + "' on " + topic);
        }
        return out;
    }

    static KafkaConsumer<byte[], byte[]> consumer(ClientConfig client) {
        Properties p = client.properties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        // no group, no committed offsets: positions come from seeks; a seek below a log start that moved meanwhile
        // restarts at the earliest record still held, so nothing held is skipped
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
