package io.tagpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommitBufferedStoreTest {
    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private KeyValueStore<String, Long> below;
    private CommitBufferedStore<String, Long> store;

    @BeforeEach
    void createStores() {
        below = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("counts"), Serdes.String(), Serdes.Long())
                .withLoggingDisabled().build();
        store = new CommitBufferedStore<>(below);
        store.init(context.getStateStoreContext(), store);
    }

    @Test
    void writesWaitForTheCommitsCacheFlush_readsSeeThemAtOnce() {
        store.put("a", 1L);
        store.put("a", 2L);
        store.put("b", 7L);

        assertThat(store.get("a")).isEqualTo(2L);
        assertThat(below.get("a")).isNull();
        store.flushCache();
        assertThat(below.get("a")).isEqualTo(2L);
        assertThat(below.get("b")).isEqualTo(7L);
    }

    @Test
    void aDeleteReturnsTheCommittedValue_andReachesTheStoreBelowAtTheFlush() {
        store.put("a", 5L);
        store.flushCache();

        assertThat(store.delete("a")).isEqualTo(5L);
        assertThat(store.get("a")).isNull();
        assertThat(store.putIfAbsent("a", 9L)).isNull();
        assertThat(store.putIfAbsent("a", 10L)).isEqualTo(9L);
        store.delete("a");
        assertThat(below.get("a")).isEqualTo(5L);
        store.flushCache();
        assertThat(below.get("a")).isNull();
    }

    @Test
    void rangeReadsAndEveryFlushOrCommitWriteThePendingEntriesThrough() {
        store.putAll(List.of(KeyValue.pair("a", 1L), KeyValue.pair("b", 2L)));
        assertThat(store.all()).toIterable().containsExactly(KeyValue.pair("a", 1L), KeyValue.pair("b", 2L));

        store.put("c", 3L);
        store.commit(Map.of());
        assertThat(below.get("c")).isEqualTo(3L);
        assertThat(store.approximateNumEntries()).isEqualTo(3L);
    }

    @Test
    void writesNotYetFlushedDieWithTheTask_initAndCloseDropThem() {
        store.put("a", 1L);
        store.init(context.getStateStoreContext(), store);  // a task revived after a dirty close
        assertThat(store.get("a")).isNull();

        store.put("b", 2L);
        store.clearCache();
        assertThat(store.get("b")).isNull();

        store.put("c", 3L);
        store.close();
        store.flushCache();
        assertThat(below.get("c")).isNull();
    }
}
