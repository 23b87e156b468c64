package io.tagpipe.collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the start and decodes envelopes, for ITs. */
final class TopicRecords implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final List<Envelope> seen = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();

    TopicRecords(KafkaBroker kafka, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, RealServices.unique("it"));
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Polls once more and returns every record seen so far (Awaitility calls this repeatedly). */
    List<Envelope> poll() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            try {
                seen.add(codec.decode(r.value()));
                keys.add(r.key());
            } catch (Exception e) {
                throw new AssertionError("unreadable record on the topic: " + new String(r.value()), e);
            }
        }
        return List.copyOf(seen);
    }

    List<Envelope> poll(Predicate<Envelope> filter) {
        return poll().stream().filter(filter).toList();
    }

    List<String> keys() {
        return List.copyOf(keys);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
