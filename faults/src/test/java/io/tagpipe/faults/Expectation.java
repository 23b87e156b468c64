package io.tagpipe.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.tagpipe.processor.Decider;
import io.tagpipe.processor.Decision;
import io.tagpipe.processor.TokenBucket;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.Topics;
import io.tagpipe.wire.UnreadableRecordException;
import io.tagpipe.wire.policy.Policy;

/**
 * What must survive, computed from what actually reached the records topic (in partition order,
 * as the processor sees it) with the processor's own pure rules: {@link Decider} then one
 * {@link TokenBucket} per app. Reading the topic (not the send log) makes the prediction exact
 * also when the collector dropped records during an outage.
 */
record Expectation(Set<String> survivors, Map<String, Long> receivedPerApp, List<Envelope> received,
                   int unreadable) {

    List<String> receivedIds() {
        return received.stream().map(Envelope::id).toList();
    }

    static Expectation fromTopic(String bootstrap, String topic, Map<String, Policy> policies) {
        return fromTopic(bootstrap, topic, e -> policies.getOrDefault(e.app(),
                policies.getOrDefault(Topics.DEFAULT_POLICY_KEY, Policy.builtInDefault())));
    }

    /** {@code policyOf} says which policy applied to a record (for runs that change policies). */
    static Expectation fromTopic(String bootstrap, String topic, java.util.function.Function<Envelope, Policy> policyOf) {
        EnvelopeCodec codec = new EnvelopeCodec();
        Set<String> survivors = new HashSet<>();
        Map<String, Long> received = new HashMap<>();
        List<Envelope> envelopes = new ArrayList<>();
        Map<String, TokenBucket> buckets = new HashMap<>();
        int unreadable = 0;
        for (List<ConsumerRecord<byte[], byte[]>> partition : readByPartition(bootstrap, topic)) {
            for (ConsumerRecord<byte[], byte[]> r : partition) {
                Envelope e;
                try {
                    e = codec.decode(r.value());
                } catch (UnreadableRecordException ex) {
                    unreadable++;
                    continue;
                }
                envelopes.add(e);
                received.merge(e.app(), 1L, Long::sum);
                Policy p = policyOf.apply(e);
                Decision d = Decider.decide(p, e);
                if (d.needsToken()) {
                    TokenBucket.Admission a = TokenBucket.take(buckets.get(e.app()), e.ts(), p.maxRecordsPerSec());
                    buckets.put(e.app(), a.next());
                    d = d.afterRateLimit(a.admitted());
                }
                if (d.keep()) {
                    survivors.add(e.id());
                }
            }
        }
        return new Expectation(Set.copyOf(survivors), Map.copyOf(received), List.copyOf(envelopes), unreadable);
    }

    /** Every committed record of the topic, one list per partition in offset order. */
    static List<List<ConsumerRecord<byte[], byte[]>>> readByPartition(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        List<List<ConsumerRecord<byte[], byte[]>>> out = new ArrayList<>();
        try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byTp = new HashMap<>();
            tps.forEach(tp -> byTp.put(tp, new ArrayList<>()));
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                c.poll(Duration.ofMillis(200)).forEach(r -> byTp.get(new TopicPartition(r.topic(), r.partition())).add(r));
            }
            tps.forEach(tp -> out.add(byTp.get(tp)));
        }
        return out;
    }
}
