package io.tagpipe.sink.pressure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tagpipe.wire.Pressure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the level to the compacted pressure topic, key = the sink's group id. Its own small
 * producer, not the DLQ's: a missing or unreachable pressure topic blocks a send for up to
 * {@code max.block.ms}, and that must never delay a dead letter (which the commit waits for).
 * The topic is created by {@code tagpipe topics create}; when it is missing the sink says so once
 * and keeps going. Sends are asynchronous; a failed one is replaced by the next period's.
 */
final class PressurePublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PressurePublisher.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final byte[] key;
    private final AtomicBoolean failing = new AtomicBoolean();

    PressurePublisher(String bootstrapServers, Map<String, String> kafkaProperties, String topic, String groupId,
                      Duration period) {
        Map<String, Object> p = new HashMap<>(kafkaProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, groupId + "-pressure");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(1_000, period.toMillis()));
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.key = groupId.getBytes(StandardCharsets.UTF_8);
    }

    void publish(Pressure pressure) {
        try {
            producer.send(new ProducerRecord<>(topic, key, pressure.encode()), (m, e) -> report(e));
        } catch (RuntimeException e) {
            report(e);
        }
    }

    private void report(Exception e) {
        if (e == null) {
            if (failing.compareAndSet(true, false)) {
                log.info("pressure level published to {} again", topic);
            }
            return;
        }
        if (failing.compareAndSet(false, true)) {
            boolean missing = e instanceof UnknownTopicOrPartitionException || e instanceof TimeoutException;
            log.warn("cannot publish the pressure level to {}{}: {}", topic, missing
                    ? " (does it exist? 'tagpipe topics create' creates it, compacted)" : "", e.getMessage());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
