package io.tagpipe.processor;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import io.tagpipe.wire.EnvelopeCodec;

/**
 * The processor's data flow, top to bottom:
 * <pre>
 * records ─parse─┬─ unreadable ─▶ dlq
 *                │        └──────────────────────────────┐
 *                └─ readable ─join-policy─decide─rate-limit─┬─ kept ─enrich─▶ policy's route (default kept)
 *                                                        └──────────────┴─count─▶ stats (every interval)
 * policies ─validate─▶ global policy store (read by join-policy)
 * </pre>
 * Building it does no I/O.
 */
public final class TagpipeTopology {
    public static final String POLICY_STORE = "policies";
    public static final String RATE_LIMIT_STORE = "rate-limits";
    public static final String STATS_STORE = "stats-counts";

    private static final Serde<byte[]> BYTES = Serdes.ByteArray();

    private final ProcessorTopics topics;
    private final Duration statsInterval;
    private final AtomicLong invalidPolicies;
    private final EnvelopeCodec envelopes = new EnvelopeCodec();
    private final PolicyCodec policies = new PolicyCodec();

    /**
     * @param invalidPolicies incremented for each invalid record on the policy topic (it is ignored)
     */
    public TagpipeTopology(ProcessorTopics topics, Duration statsInterval, AtomicLong invalidPolicies) {
        this.topics = topics;
        this.statsInterval = statsInterval;
        this.invalidPolicies = invalidPolicies;
    }

    public Topology build() {
        StreamsBuilder b = new StreamsBuilder();
        b.addGlobalStore(policyStore(), topics.policies(),
                Consumed.with(Serdes.String(), BYTES).withName("read-policies"),
                () -> new PolicyStoreUpdater(POLICY_STORE, policies, invalidPolicies));
        b.addStateStore(rateLimitStore());
        b.addStateStore(statsStore());

        Map<String, KStream<byte[], Parsed>> parsed = b
                .stream(topics.records(), Consumed.with(BYTES, BYTES).withName("read-records"))
                .processValues(() -> new ParseProcessor(envelopes), Named.as("parse"))
                .split(Named.as("parsed-"))
                .branch((k, p) -> !p.readable(), Branched.as("unreadable"))
                .defaultBranch(Branched.as("readable"));
        KStream<byte[], Parsed> unreadable = parsed.get("parsed-unreadable");
        unreadable
                .processValues(DlqRecordProcessor::new, Named.as("to-dlq-record"))
                .to(topics.dlq(), Produced.with(BYTES, BYTES).withName("write-dlq"));

        KStream<byte[], Judged> decided = parsed.get("parsed-readable")
                .processValues(() -> new PolicyJoinProcessor(POLICY_STORE, policies), Named.as("join-policy"))
                .mapValues(j -> j.withDecision(Decider.decide(j.policy(), j.record())), Named.as("decide"))
                .processValues(() -> new RateLimitProcessor(RATE_LIMIT_STORE), Named.as("rate-limit"), RATE_LIMIT_STORE);

        decided
                .filter((k, j) -> j.decision().keep(), Named.as("kept"))
                .mapValues(this::enrich, Named.as("enrich"))
                .to((k, r, ctx) -> r.topic(), Produced.with(BYTES, Routed.serde())
                        .withName("write-kept"));

        decided.mapValues(Outcome::of, Named.as("outcome-of-readable"))
                .merge(unreadable.mapValues(Outcome::of, Named.as("outcome-of-unreadable")), Named.as("all-outcomes"))
                .process(() -> new StatsProcessor(STATS_STORE, statsInterval), Named.as("count"), STATS_STORE)
                .to(topics.stats(), Produced.with(Serdes.String(), BYTES).withName("write-stats"));
        return b.build();
    }

    private Routed enrich(Judged j) {
        Policy p = j.policy();
        byte[] kept = envelopes.encodeWithPolicy(j.record(), j.decision().sampleRate(), p.retentionDays(),
                p.importance().label());
        return new Routed(p.routeOr(topics.kept()), kept);
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> policyStore() {
        // global stores are rebuilt from the policy topic itself: no changelog
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(POLICY_STORE), Serdes.String(), BYTES)
                .withLoggingDisabled();
    }

    private static StoreBuilder<KeyValueStore<String, TokenBucket>> rateLimitStore() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RATE_LIMIT_STORE), Serdes.String(),
                RateLimitProcessor.serde()).withCachingEnabled();
    }

    private static StoreBuilder<KeyValueStore<String, Long>> statsStore() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STATS_STORE), Serdes.String(), Serdes.Long())
                .withCachingEnabled();
    }
}
