package io.tagpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tagpipe.wire.StatsRecord;

class StatsCounterTest {
    private static final Outcome KEPT = new Outcome("billing-api", "log", "INFO", StatsRecord.KEPT, 29_000_000L);
    private static final Outcome SAMPLED = new Outcome("billing-api", "log", "DEBUG", StatsRecord.SAMPLED, 29_000_000L);

    private KeyValueStore<String, Long> store;

    @BeforeEach
    void createStore() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("stats"), Serdes.String(), Serdes.Long())
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    @Test
    void everyCountIsInTheStoreRightAway_soItCommitsWithTheInputOffsets() {
        StatsCounter counter = new StatsCounter(store);

        counter.count(KEPT);
        counter.count(KEPT);
        counter.count(SAMPLED);

        assertThat(store.get(KEPT.key())).isEqualTo(2L);
        assertThat(store.get(SAMPLED.key())).isEqualTo(1L);
    }

    @Test
    void aCounterOverARestoredStoreContinuesFromTheRestoredCounts() {
        store.put(KEPT.key(), 40L);
        StatsCounter counter = new StatsCounter(store);

        counter.count(KEPT);
        counter.count(SAMPLED);

        assertThat(store.get(KEPT.key())).isEqualTo(41L);
        assertThat(counter.drain()).containsExactlyInAnyOrder(KEPT.withCount(41), SAMPLED.withCount(1));
    }

    @Test
    void drainReturnsEachOutcomeOnce_andCountingStartsAgainFromZero() {
        StatsCounter counter = new StatsCounter(store);
        for (int i = 0; i < 5; i++) {
            counter.count(KEPT);
        }

        List<StatsRecord> first = counter.drain();
        assertThat(store.all()).isExhausted();
        List<StatsRecord> empty = counter.drain();
        counter.count(KEPT);

        assertThat(first).containsExactly(KEPT.withCount(5));
        assertThat(empty).isEmpty();
        assertThat(counter.drain()).containsExactly(KEPT.withCount(1));
    }

    @Test
    void outcomeKeyRoundTrips_includingEmptyLevel() {
        Outcome metric = new Outcome("unknown", "unknown", "", StatsRecord.UNREADABLE, 7L);

        assertThat(Outcome.fromKey(metric.key())).isEqualTo(metric);
        assertThat(Outcome.fromKey(KEPT.key())).isEqualTo(KEPT);
    }
}
