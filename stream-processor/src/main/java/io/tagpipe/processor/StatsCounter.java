package io.tagpipe.processor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.tagpipe.wire.StatsRecord;

/**
 * Counts outcomes per (app, kind, level, reason, minute) in a changelogged store, so under
 * exactly-once the counts commit atomically with the input offsets: exact across crashes.
 *
 * <p>The store is written on every count but read only once, when the counter is created: an
 * in-memory copy answers "what is the count so far". The copy is exact because only this counter
 * writes the store, and Kafka Streams creates the processor anew (init) after every restore,
 * including after an aborted transaction wiped the task's state. The topology's store holds the
 * writes of a commit interval and sends each key's last count once, at the commit
 * ({@link CommitBufferedStore}). One instance per task (not thread-safe).
 */
final class StatsCounter {
    /** The store key is built once per distinct outcome, not per record. */
    private static final class Count {
        final String key;
        long value;

        Count(String key, long value) {
            this.key = key;
            this.value = value;
        }
    }

    private final KeyValueStore<String, Long> store;
    private final Map<Outcome, Count> counts = new HashMap<>();

    StatsCounter(KeyValueStore<String, Long> store) {
        this.store = store;
        try (KeyValueIterator<String, Long> it = store.all()) {
            it.forEachRemaining(kv -> counts.put(Outcome.fromKey(kv.key), new Count(kv.key, kv.value)));
        }
    }

    void count(Outcome o) {
        Count c = counts.get(o);
        if (c == null) {
            c = new Count(o.key(), 0);
            counts.put(o, c);
        }
        c.value++;
        store.put(c.key, c.value);
    }

    /** Every non-zero count as a stats line; the counts start again from zero (lines are deltas). */
    List<StatsRecord> drain() {
        List<StatsRecord> lines = new ArrayList<>(counts.size());
        for (Map.Entry<Outcome, Count> e : counts.entrySet()) {
            lines.add(e.getKey().withCount(e.getValue().value));
            store.delete(e.getValue().key);
        }
        counts.clear();
        return lines;
    }
}
