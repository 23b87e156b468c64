package io.tagpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.tagpipe.wire.policy.Importance;
import io.tagpipe.wire.policy.Policy;
import io.tagpipe.wire.policy.PolicyCodec;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tagpipe.wire.Topics;

class PolicyLookupTest {
    private final PolicyCodec codec = new PolicyCodec();
    private final AtomicLong storeUpdates = new AtomicLong();
    private KeyValueStore<String, byte[]> store;
    private PolicyLookup lookup;

    @BeforeEach
    void createStore() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("policies"), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        lookup = new PolicyLookup(store, codec, storeUpdates);
    }

    @Test
    void appPolicyThenDefaultThenBuiltIn() throws Exception {
        Policy high = Policy.of(Importance.HIGH);
        Policy sampled = Policy.of(Map.of("sample_rate", 0.5));
        update("api", high);
        update(Topics.DEFAULT_POLICY_KEY, sampled);

        assertThat(lookup.forApp("api")).isEqualTo(high);
        assertThat(lookup.forApp("web")).isEqualTo(sampled);
        store.delete(Topics.DEFAULT_POLICY_KEY);
        storeUpdates.incrementAndGet();
        assertThat(lookup.forApp("web")).isEqualTo(Policy.builtInDefault());
    }

    @Test
    void answersAreReusedUntilTheStoreReportsAnUpdate() throws Exception {
        Policy high = Policy.of(Importance.HIGH);
        Policy low = Policy.of(Importance.LOW);
        update("api", high);
        assertThat(lookup.forApp("api")).isEqualTo(high);

        store.put("api", codec.encode(low)); // written, not yet announced
        Policy beforeAnnounce = lookup.forApp("api");
        storeUpdates.incrementAndGet();

        assertThat(beforeAnnounce).isEqualTo(high);
        assertThat(lookup.forApp("api")).isEqualTo(low);
    }

    private void update(String app, Policy p) {
        store.put(app, codec.encode(p));
        storeUpdates.incrementAndGet();
    }
}
