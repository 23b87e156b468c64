package io.tagpipe.processor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagpipe.wire.Topics;

/**
 * Joins each record with its app's policy from the global store: the app's own, else {@code *},
 * else {@link Policy#builtInDefault()}. Decoded policies are cached per app and reused while the
 * stored bytes are unchanged, so the hot path does not run Jackson.
 */
final class PolicyJoinProcessor implements FixedKeyProcessor<byte[], Parsed, Judged> {
    private static final Logger log = LoggerFactory.getLogger(PolicyJoinProcessor.class);

    private record Cached(byte[] raw, Policy policy) { }

    private final String storeName;
    private final PolicyCodec codec;
    private final Map<String, Cached> cache = new HashMap<>();
    private FixedKeyProcessorContext<byte[], Judged> context;
    private KeyValueStore<String, byte[]> store;

    PolicyJoinProcessor(String storeName, PolicyCodec codec) {
        this.storeName = storeName;
        this.codec = codec;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Judged> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<byte[], Parsed> record) {
        var decoded = record.value().decoded();
        Policy policy = lookup(decoded.app());
        if (policy == null) {
            policy = lookup(Topics.DEFAULT_POLICY_KEY);
        }
        context.forward(record.withValue(new Judged(decoded, policy == null ? Policy.builtInDefault() : policy, null)));
    }

    private Policy lookup(String app) {
        byte[] raw = store.get(app);
        if (raw == null) {
            cache.remove(app);
            return null;
        }
        Cached c = cache.get(app);
        if (c != null && Arrays.equals(c.raw, raw)) {
            return c.policy;
        }
        try {
            Policy p = codec.decode(raw);
            cache.put(app, new Cached(raw, p));
            return p;
        } catch (InvalidPolicyException e) {
            // cannot happen: the store only holds validated policies; fall back like a missing one
            log.error("stored policy of '{}' is invalid: {}", app, e.getMessage());
            return null;
        }
    }
}
