package io.tagpipe.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagpipe.wire.Pressure;
import io.tagpipe.wire.UnreadableRecordException;

/**
 * The pressure level that applies now: the highest level of any sink that confirmed it within the
 * staleness bound; 0 when none did (a sink that stopped publishing must not keep the pipeline
 * shedding). The store's values are decoded once per change ({@code storeUpdates}, bumped by
 * {@link PressureStoreUpdater}), so a record costs a look at a few cached values.
 * One instance per task (not thread-safe; the counter is read across threads).
 */
final class PressureLevel {
    private static final Logger log = LoggerFactory.getLogger(PressureLevel.class);

    private final KeyValueStore<String, byte[]> store;
    private final AtomicLong storeUpdates;
    private final long staleAfterMs;
    private List<Pressure> current = List.of();
    private long version = -1;

    PressureLevel(KeyValueStore<String, byte[]> store, AtomicLong storeUpdates, long staleAfterMs) {
        this.store = store;
        this.storeUpdates = storeUpdates;
        this.staleAfterMs = staleAfterMs;
    }

    /** @param nowMs the time to judge staleness against (the caller's clock) */
    int at(long nowMs) {
        long v = storeUpdates.get();
        if (v != version) {
            current = read();
            version = v;
        }
        int level = 0;
        for (Pressure p : current) {
            if (p.updatedMs() >= nowMs - staleAfterMs) {
                level = Math.max(level, p.level());
            }
        }
        return level;
    }

    private List<Pressure> read() {
        List<Pressure> all = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> {
                try {
                    all.add(Pressure.decode(kv.value));
                } catch (UnreadableRecordException e) {
                    // cannot happen: the store only holds values it encoded itself
                    log.error("stored pressure of '{}' is unreadable: {}", kv.key, e.getMessage());
                }
            });
        }
        return all;
    }
}
