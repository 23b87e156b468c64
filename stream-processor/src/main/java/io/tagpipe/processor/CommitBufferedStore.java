package io.tagpipe.processor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A key-value store whose writes reach the store below it (and so its changelog) once per commit,
 * not once per call: puts and deletes wait in a plain map, as objects, until Kafka Streams flushes
 * the task's caches at commit; reads see them at once.
 *
 * <p>Why this is exact under exactly-once: at every commit Kafka Streams calls {@code flushCache()} on
 * each of the task's stores that is a {@link CachedStateStore} before it flushes the producer and commits
 * the transaction with the task's input offsets (StreamTask#prepareCommit, ProcessorStateManager#flushCache;
 * checked against 4.4.0). Its own caching layer keeps its dirty entries until then on the same promise, so
 * this store is as safe as a caching-enabled one. What it saves is the caching layer's cost per write:
 * serialising key and value, a record context per entry, the thread-wide LRU bookkeeping. A crash before the
 * commit aborts the transaction; the pending writes die with the task ({@link #init} and {@link #close} drop
 * them) and the records are processed again.
 *
 * <p>{@link CachedStateStore} is Kafka Streams' internal interface, the only hook that runs at every
 * exactly-once commit; {@code StatsChangelogTest} fails if that stops being so. Range reads write the
 * pending entries through first. Interactive queries see the committed state only. One instance per task.
 */
final class CommitBufferedStore<K, V> implements KeyValueStore<K, V>, CachedStateStore<K, V> {
    private final KeyValueStore<K, V> inner;
    /** Written since the last commit; a null value is a delete. */
    private final Map<K, V> pending = new HashMap<>();

    CommitBufferedStore(KeyValueStore<K, V> inner) {
        this.inner = inner;
    }

    /** Builds {@code inner}'s store wrapped in this; caching below it would only add a second buffer. */
    static <K, V> StoreBuilder<KeyValueStore<K, V>> builder(StoreBuilder<KeyValueStore<K, V>> inner) {
        return new Builder<>(inner.withCachingDisabled());
    }

    @Override
    public void put(K key, V value) {
        pending.put(Objects.requireNonNull(key, "key"), value);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        V old = get(key);
        if (old == null) {
            put(key, value);
        }
        return old;
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        for (KeyValue<K, V> e : entries) {
            put(e.key, e.value);
        }
    }

    @Override
    public V delete(K key) {
        V old = get(key);
        put(key, null);
        return old;
    }

    @Override
    public V get(K key) {
        V v = pending.get(Objects.requireNonNull(key, "key"));
        return v != null || pending.containsKey(key) ? v : inner.get(key);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        writePending();
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        writePending();
        return inner.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        writePending();
        return inner.all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        writePending();
        return inner.reverseAll();
    }

    @Override
    public <PS extends org.apache.kafka.common.serialization.Serializer<P>, P> KeyValueIterator<K, V> prefixScan(
            P prefix, PS prefixKeySerializer) {
        writePending();
        return inner.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        writePending();
        return inner.approximateNumEntries();
    }

    /** Called at every commit, before the transaction commits: the pending writes go to the changelog now. */
    @Override
    public void flushCache() {
        writePending();
        if (inner instanceof CachedStateStore<?, ?> c) {
            c.flushCache();
        }
    }

    @Override
    public void clearCache() {
        pending.clear();
        if (inner instanceof CachedStateStore<?, ?> c) {
            c.clearCache();
        }
    }

    /** Nothing is forwarded on flush (a DSL table's cache does that; this store is a processor's). */
    @Override
    public boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        writePending();
        inner.commit(changelogOffsets);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        writePending();
        inner.flush();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        pending.clear();
        inner.init(context, root);
    }

    @Override
    public void close() {
        pending.clear();
        inner.close();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound bound, QueryConfig config) {
        return inner.query(query, bound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    private void writePending() {
        if (pending.isEmpty()) {
            return;
        }
        for (Map.Entry<K, V> e : pending.entrySet()) {
            if (e.getValue() == null) {
                inner.delete(e.getKey());
            } else {
                inner.put(e.getKey(), e.getValue());
            }
        }
        pending.clear();
    }

    private record Builder<K, V>(StoreBuilder<KeyValueStore<K, V>> inner) implements StoreBuilder<KeyValueStore<K, V>> {
        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
            throw new UnsupportedOperationException("a commit-buffered store is its own cache");
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
            return new Builder<>(inner.withLoggingEnabled(config));
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
            return new Builder<>(inner.withLoggingDisabled());
        }

        @Override
        public KeyValueStore<K, V> build() {
            return new CommitBufferedStore<>(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
