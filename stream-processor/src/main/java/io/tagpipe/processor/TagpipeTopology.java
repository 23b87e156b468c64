package io.tagpipe.processor;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.policy.PolicyCodec;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import io.tagpipe.wire.EnvelopeCodec;

/**
 * The processor's data flow, top to bottom:
 * <pre>
 * records ─route (parse, join-policy, decide, rate-limit, enrich, count)─┬─ kept ─▶ policy's route, else its importance's lane
 *                                                                       ├─ unreadable ─▶ dlq
 *                                                                       ├─ shed ─▶ shed (where each shed record lies, for replay)
 *                                                                       └─ counts ─▶ stats (every interval)
 * policies ─validate─▶ global policy store (read by route)
 * pressure ─validate─▶ global pressure store (read by route: the level decide sheds by)
 * </pre>
 * The per-record steps run in one node ({@link RecordProcessor}): Kafka Streams copies each record
 * and its headers at every node, and a node per step cost more than the steps themselves.
 * Building it does no I/O.
 */
public final class TagpipeTopology {
    public static final String POLICY_STORE = "policies";
    public static final String RATE_LIMIT_STORE = "rate-limits";
    public static final String STATS_STORE = "stats-counts";
    public static final String PRESSURE_STORE = "pressure";
    /** A sink's level not confirmed for this long counts as 0. */
    public static final Duration DEFAULT_PRESSURE_STALE_AFTER = Duration.ofSeconds(60);

    private static final Serde<byte[]> BYTES = Serdes.ByteArray();
    private static final String READ = "read-records";
    private static final String ROUTE = "route";
    private static final String WRITE_KEPT = "write-kept";
    private static final String WRITE_DLQ = "write-dlq";
    private static final String WRITE_STATS = "write-stats";
    private static final String WRITE_SHED = "write-shed";

    private final ProcessorTopics topics;
    private final Duration statsInterval;
    private final AtomicLong invalidPolicies;
    private final EnvelopeCodec envelopes = new EnvelopeCodec();
    private final PolicyCodec policies = new PolicyCodec();
    private final AtomicLong policyUpdates = new AtomicLong();
    private final AtomicLong invalidPressure;
    private final Duration pressureStaleAfter;
    private final AtomicLong pressureUpdates = new AtomicLong();
    private RecordMeters meters = RecordMeters.none();

    /**
     * @param invalidPolicies incremented for each invalid record on the policy topic (it is ignored)
     */
    public TagpipeTopology(ProcessorTopics topics, Duration statsInterval, AtomicLong invalidPolicies) {
        this(topics, statsInterval, invalidPolicies, new AtomicLong(), DEFAULT_PRESSURE_STALE_AFTER);
    }

    /**
     * @param invalidPressure    incremented for each unreadable record on the pressure topic (it is ignored)
     * @param pressureStaleAfter a sink's level not confirmed within this (wall-clock) time counts as 0
     */
    public TagpipeTopology(ProcessorTopics topics, Duration statsInterval, AtomicLong invalidPolicies,
            AtomicLong invalidPressure, Duration pressureStaleAfter) {
        this.topics = topics;
        this.statsInterval = statsInterval;
        this.invalidPolicies = invalidPolicies;
        this.invalidPressure = invalidPressure;
        this.pressureStaleAfter = pressureStaleAfter;
    }

    /** Counts every record's outcome on {@code m} too (the {@code /metrics} series); none by default. */
    public TagpipeTopology withMeters(RecordMeters m) {
        this.meters = m;
        return this;
    }

    public Topology build() {
        // the DSL's global store re-runs the validating processor on restore (Topology#addGlobalStore does not)
        StreamsBuilder b = new StreamsBuilder();
        b.addGlobalStore(globalStore(POLICY_STORE), topics.policies(),
                Consumed.with(Serdes.String(), BYTES).withName("read-policies"),
                () -> new PolicyStoreUpdater(POLICY_STORE, policies, invalidPolicies, policyUpdates));
        b.addGlobalStore(globalStore(PRESSURE_STORE), topics.pressure(),
                Consumed.with(Serdes.String(), BYTES).withName("read-pressure"),
                () -> new PressureStoreUpdater(PRESSURE_STORE, invalidPressure, pressureUpdates));
        RecordProcessor.Names names = new RecordProcessor.Names(POLICY_STORE, PRESSURE_STORE, RATE_LIMIT_STORE,
                STATS_STORE, WRITE_KEPT, WRITE_DLQ, WRITE_STATS, WRITE_SHED, topics);
        RecordProcessor.Updates updates = new RecordProcessor.Updates(policyUpdates, pressureUpdates,
                pressureStaleAfter.toMillis());

        Topology t = b.build();
        t.addSource(READ, BYTES.deserializer(), BYTES.deserializer(), topics.records());
        t.addProcessor(ROUTE, () -> new RecordProcessor(names, envelopes, policies, statsInterval, updates, meters), READ);
        t.addStateStore(rateLimitStore(), ROUTE);
        t.addStateStore(statsStore(), ROUTE);
        t.addSink(WRITE_KEPT, (k, r, ctx) -> r.topic(), BYTES.serializer(), Routed.serde().serializer(), ROUTE);
        t.addSink(WRITE_DLQ, topics.dlq(), BYTES.serializer(), BYTES.serializer(), ROUTE);
        t.addSink(WRITE_STATS, topics.stats(), Serdes.String().serializer(), BYTES.serializer(), ROUTE);
        t.addSink(WRITE_SHED, topics.shed(), Serdes.String().serializer(), BYTES.serializer(), ROUTE);
        return t;
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> globalStore(String name) {
        // global stores are rebuilt from their (compacted) topic itself: no changelog
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), BYTES)
                .withLoggingDisabled();
    }

    // both written for (nearly) every record: their writes reach the changelog once per key and commit
    private static StoreBuilder<KeyValueStore<String, TokenBucket>> rateLimitStore() {
        return CommitBufferedStore.builder(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RATE_LIMIT_STORE),
                Serdes.String(), RateLimiter.serde()));
    }

    private static StoreBuilder<KeyValueStore<String, Long>> statsStore() {
        return CommitBufferedStore.builder(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STATS_STORE),
                Serdes.String(), Serdes.Long()));
    }
}
