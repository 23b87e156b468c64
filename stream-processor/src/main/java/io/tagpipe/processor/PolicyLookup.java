package io.tagpipe.processor;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;
import io.tagpipe.wire.policy.PolicyCodec;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagpipe.wire.Topics;

/**
 * The policy that applies to an app, from the global store: the app's own, else {@code *}, else
 * {@link Policy#builtInDefault()}. The answer is cached per app until the global store changes
 * ({@code storeUpdates}, bumped by {@link PolicyStoreUpdater} after each write), so most records
 * read neither the store nor Jackson (after a policy change each app's answer is decoded once).
 * One instance per task (not thread-safe; the counter is read across threads).
 */
final class PolicyLookup {
    private static final Logger log = LoggerFactory.getLogger(PolicyLookup.class);

    /** Bounds the per-app answers when records carry many distinct app labels. */
    static final int MAX_CACHED_APPS = 10_000;

    private record Answer(long storeVersion, Policy policy) { }

    private final KeyValueStore<String, byte[]> store;
    private final PolicyCodec codec;
    private final AtomicLong storeUpdates;
    private final Map<String, Answer> answers = new HashMap<>();

    PolicyLookup(KeyValueStore<String, byte[]> store, PolicyCodec codec, AtomicLong storeUpdates) {
        this.store = store;
        this.codec = codec;
        this.storeUpdates = storeUpdates;
    }

    Policy forApp(String app) {
        // read the version before the store: an update racing this read bumps it after its write
        long version = storeUpdates.get();
        Answer a = answers.get(app);
        if (a != null && a.storeVersion == version) {
            return a.policy;
        }
        if (answers.size() >= MAX_CACHED_APPS) {
            answers.clear();
        }
        Policy policy = resolve(app);
        answers.put(app, new Answer(version, policy));
        return policy;
    }

    private Policy resolve(String app) {
        Policy policy = lookup(app);
        if (policy == null) {
            policy = lookup(Topics.DEFAULT_POLICY_KEY);
        }
        return policy == null ? Policy.builtInDefault() : policy;
    }

    private Policy lookup(String app) {
        byte[] raw = store.get(app);
        if (raw == null) {
            return null;
        }
        try {
            return codec.decode(raw);
        } catch (InvalidPolicyException e) {
            // cannot happen: the store only holds validated policies; fall back like a missing one
            log.error("stored policy of '{}' is invalid: {}", app, e.getMessage());
            return null;
        }
    }
}
