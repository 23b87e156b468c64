package io.tagpipe.processor;

import java.util.concurrent.atomic.AtomicLong;

import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;
import io.tagpipe.wire.policy.PolicyCodec;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global policy store in step with {@code tagpipe.policies}, validating first: only
 * valid policies reach the store (re-encoded), a tombstone removes the app's policy, and an invalid
 * record is logged, counted and ignored so the previous policy stays. Kafka Streams runs this
 * processor on restore too, so a restarted instance never loads an invalid record.
 */
final class PolicyStoreUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger log = LoggerFactory.getLogger(PolicyStoreUpdater.class);

    private final String storeName;
    private final PolicyCodec codec;
    private final AtomicLong invalidCount;
    private final AtomicLong storeUpdates;
    private KeyValueStore<String, byte[]> store;

    /** @param storeUpdates bumped after each write to the store, so readers know their cached answers are stale */
    PolicyStoreUpdater(String storeName, PolicyCodec codec, AtomicLong invalidCount, AtomicLong storeUpdates) {
        this.storeName = storeName;
        this.codec = codec;
        this.invalidCount = invalidCount;
        this.storeUpdates = storeUpdates;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String app = record.key();
        try {
            PolicyCodec.checkApp(app);
            if (record.value() == null) {
                store.delete(app);
                storeUpdates.incrementAndGet();
                log.info("policy of '{}' removed: the default applies", app);
                return;
            }
            Policy policy = codec.decode(record.value());
            store.put(app, codec.encode(policy));
            storeUpdates.incrementAndGet();
            log.info("policy of '{}' is now {}", app, policy.spec());
        } catch (InvalidPolicyException e) {
            invalidCount.incrementAndGet();
            log.warn("ignored invalid policy record for '{}' (the previous policy stays): {}", app, e.getMessage());
        }
    }
}
