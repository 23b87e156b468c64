package io.tagpipe.sink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.tagpipe.wire.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** DLQ on Kafka: original key and value bytes, reason and source in {@code Topics.DLQ_*} headers. */
final class KafkaDeadLetters implements DeadLetters {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final SinkMeters meters;

    KafkaDeadLetters(SinkConfig c, SinkMeters meters) {
        this.meters = meters;
        Map<String, Object> p = new HashMap<>(c.kafkaProperties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, c.groupId() + "-dlq");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = c.dlqTopic();
    }

    @Override
    public void sendAll(List<Unreadable> records) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Unreadable u : records) {
            sent.add(producer.send(record(u)));
        }
        for (Future<RecordMetadata> f : sent) {
            f.get(60, TimeUnit.SECONDS);
        }
        records.forEach(u -> meters.deadLettered(u.reason()));
    }

    private ProducerRecord<byte[], byte[]> record(Unreadable u) {
        RecordHeaders h = new RecordHeaders();
        h.add(Topics.DLQ_REASON_HEADER, utf8(u.reason() + ": " + u.error()));
        h.add(Topics.DLQ_SOURCE_TOPIC_HEADER, utf8(u.topic()));
        h.add(Topics.DLQ_SOURCE_PARTITION_HEADER, utf8(Integer.toString(u.partition())));
        h.add(Topics.DLQ_SOURCE_OFFSET_HEADER, utf8(Long.toString(u.offset())));
        return new ProducerRecord<>(topic, null, null, u.key(), u.original(), h);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
