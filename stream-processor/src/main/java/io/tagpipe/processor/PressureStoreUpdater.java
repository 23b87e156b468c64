package io.tagpipe.processor;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagpipe.wire.Pressure;
import io.tagpipe.wire.UnreadableRecordException;

/**
 * Keeps the global pressure store in step with the pressure topic (key = the publishing sink's
 * group id): only readable values reach the store (re-encoded), a tombstone removes that sink's
 * level, and an unreadable record is logged, counted and ignored, so garbage on the topic can
 * neither crash the processor nor raise the level.
 */
final class PressureStoreUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger log = LoggerFactory.getLogger(PressureStoreUpdater.class);

    private final String storeName;
    private final AtomicLong invalidCount;
    private final AtomicLong storeUpdates;
    private KeyValueStore<String, byte[]> store;

    /** @param storeUpdates bumped after each write to the store, so readers know their cached levels are stale */
    PressureStoreUpdater(String storeName, AtomicLong invalidCount, AtomicLong storeUpdates) {
        this.storeName = storeName;
        this.invalidCount = invalidCount;
        this.storeUpdates = storeUpdates;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String sink = record.key();
        if (sink == null) {
            invalidCount.incrementAndGet();
            log.warn("ignored pressure record without a key (the key names the publishing sink)");
            return;
        }
        if (record.value() == null) {
            store.delete(sink);
            storeUpdates.incrementAndGet();
            log.info("pressure of '{}' removed", sink);
            return;
        }
        try {
            Pressure p = Pressure.decode(record.value());
            store.put(sink, p.encode());
            storeUpdates.incrementAndGet();
            log.info("pressure of '{}' is now level {} {}", sink, p.level(), p.reasons());
        } catch (UnreadableRecordException e) {
            invalidCount.incrementAndGet();
            log.warn("ignored unreadable pressure record of '{}' (its previous level stays): {}", sink, e.getMessage());
        }
    }
}
