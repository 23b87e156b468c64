package io.tagpipe.cli.replay;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.topics.TopicReader;
import io.tagpipe.wire.ShedEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Fetches records by (topic, partition, offset): per partition, seeks to the lowest wanted offset
 * and reads forward, seeking again over gaps between wanted offsets. An offset below the
 * partition's log start (deleted by retention or {@code deleteRecords}) or not found when read
 * past it is reported as gone by leaving it out of the answer.
 */
public final class KafkaSourceRecords implements SourceRecords {
    private final ClientConfig client;
    private final Duration timeout;

    public KafkaSourceRecords(ClientConfig client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public Map<ShedEntry, Source> fetch(Collection<ShedEntry> entries) {
        Map<TopicPartition, NavigableMap<Long, ShedEntry>> wanted = new HashMap<>();
        for (ShedEntry e : entries) {
            wanted.computeIfAbsent(new TopicPartition(e.topic(), e.partition()), tp -> new TreeMap<>()).put(e.offset(), e);
        }
        Map<ShedEntry, Source> out = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = TopicReader.consumer(client)) {
            Map<TopicPartition, Long> start = consumer.beginningOffsets(wanted.keySet(), timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(wanted.keySet(), timeout);
            for (Map.Entry<TopicPartition, NavigableMap<Long, ShedEntry>> w : wanted.entrySet()) {
                TopicPartition tp = w.getKey();
                NavigableMap<Long, ShedEntry> held = w.getValue().subMap(start.get(tp), true, end.get(tp), false);
                read(consumer, tp, new TreeMap<>(held), end.get(tp), out);
            }
        }
        return out;
    }

    private void read(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, NavigableMap<Long, ShedEntry> wanted,
            long end, Map<ShedEntry, Source> out) {
        consumer.assign(List.of(tp));
        if (!wanted.isEmpty()) {
            consumer.seek(tp, wanted.firstKey());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!wanted.isEmpty()) {
            long next = wanted.firstKey();
            if (consumer.position(tp, timeout) < next) {
                consumer.seek(tp, next);
            }
            if (consumer.position(tp, timeout) >= end) {
                return; // the rest lies past what was readable (aborted or compacted away): gone
            }
            if (System.nanoTime() > deadline) {
                throw new ReplayException("could not read " + tp + " within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)).records(tp)) {
                ShedEntry e = wanted.remove(r.offset());
                if (e != null && r.value() != null) {
                    out.put(e, new Source(r.key(), r.value()));
                }
            }
            wanted.headMap(consumer.position(tp, timeout), false).clear(); // read past without seeing them: gone
        }
    }
}
