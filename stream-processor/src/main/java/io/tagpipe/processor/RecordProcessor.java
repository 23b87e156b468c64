package io.tagpipe.processor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.policy.Importance;
import io.tagpipe.wire.policy.Policy;
import io.tagpipe.wire.policy.PolicyCodec;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import io.tagpipe.wire.Decoded;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.Labels;
import io.tagpipe.wire.ShedEntry;
import io.tagpipe.wire.StatsRecord;
import io.tagpipe.wire.UnreadableRecordException;

/**
 * The whole per-record path in one node: parse → join policy and pressure level → decide →
 * rate-limit → enrich, and count the outcome; a shed record also leaves a {@link ShedEntry}. Each step is its own class ({@link EnvelopeCodec},
 * {@link PolicyLookup}, {@link PressureLevel}, {@link Decider}, {@link RateLimiter},
 * {@link StatsCounter}, {@link DeadLetter}, {@link RecordMeters}); this node only sequences them and routes. One node instead of a DSL chain because Kafka Streams copies the
 * record and its headers at every node: the former dozen nodes per record cost more than the steps.
 * Never throws on bad input: an unreadable record goes to the DLQ child and is counted. The level
 * is judged against the wall clock (the context's), so a sink that stopped confirming stops counting.
 */
final class RecordProcessor implements Processor<byte[], byte[], Object, Object> {
    private final Names names;
    private final EnvelopeCodec envelopes;
    private final PolicyCodec policyCodec;
    private final Duration statsInterval;
    private final Updates updates;
    private final RecordMeters meters;
    /** Each lane's topic name, built once: a new string per kept record cost its allocation and, in the producer, its hashing. */
    private final Map<Importance, String> lanes = new EnumMap<>(Importance.class);
    private ProcessorContext<Object, Object> context;
    private PolicyLookup policies;
    private PressureLevel pressure;
    private RateLimiter rateLimiter;
    private StatsCounter stats;

    /** Store and child node names, and the topics whose lanes kept records go to when their policy has no route. */
    record Names(String policyStore, String pressureStore, String rateLimitStore, String statsStore,
                 String keptChild, String dlqChild, String statsChild, String shedChild, ProcessorTopics topics) { }

    /**
     * @param policy   bumped by {@link PolicyStoreUpdater} after each change of the policy store
     * @param pressure bumped by {@link PressureStoreUpdater} after each change of the pressure store
     * @param pressureStaleAfterMs a sink's level not confirmed within this wall-clock time counts as 0
     */
    record Updates(AtomicLong policy, AtomicLong pressure, long pressureStaleAfterMs) { }

    RecordProcessor(Names names, EnvelopeCodec envelopes, PolicyCodec policyCodec, Duration statsInterval,
            Updates updates, RecordMeters meters) {
        this.names = names;
        this.meters = meters;
        this.envelopes = envelopes;
        this.policyCodec = policyCodec;
        this.statsInterval = statsInterval;
        this.updates = updates;
        for (Importance i : Importance.values()) {
            if (i != Importance.DROP) { // keeps nothing: it has no lane
                lanes.put(i, names.topics().lane(i));
            }
        }
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.policies = new PolicyLookup(context.getStateStore(names.policyStore()), policyCodec, updates.policy());
        this.pressure = new PressureLevel(context.getStateStore(names.pressureStore()), updates.pressure(),
                updates.pressureStaleAfterMs());
        this.rateLimiter = new RateLimiter(context.getStateStore(names.rateLimitStore()));
        this.stats = new StatsCounter(context.getStateStore(names.statsStore()));
        context.schedule(statsInterval, PunctuationType.WALL_CLOCK_TIME, this::emitStats);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Decoded decoded;
        try {
            decoded = envelopes.read(record.value());
        } catch (UnreadableRecordException e) {
            context.forward(DeadLetter.of(record, e, context.recordMetadata()), names.dlqChild());
            Outcome unreadable = Outcome.unreadable(appFromKey(record.key()), record.timestamp());
            stats.count(unreadable);
            meters.count(unreadable.app(), unreadable.reason());
            return;
        }
        Policy policy = policies.forApp(decoded.app());
        int level = pressure.at(context.currentSystemTimeMs());
        meters.level(level);
        Decision d = rateLimiter.apply(Decider.decide(policy, decoded, level), decoded.app(), decoded.ts(), policy);
        if (d.keep()) {
            byte[] kept = envelopes.encodeWithPolicy(decoded, d.sampleRate(), policy.retentionDays(),
                    policy.importance().label());
            context.forward(record.withValue(new Routed(destination(policy), kept)), names.keptChild());
        } else if (StatsRecord.SHED.equals(d.reason())) {
            context.forward(new Record<>(decoded.app(), shedEntry(decoded, policy, level).encode(), record.timestamp()),
                    names.shedChild());
        }
        stats.count(Outcome.of(decoded, d));
        meters.count(decoded.app(), d.reason());
    }

    /**
     * Where a shed record lies and how it would have been kept: what {@code tagpipe replay} needs.
     * Written in the same transaction as the input offset, so there is one entry per shed count.
     */
    private ShedEntry shedEntry(Decoded r, Policy policy, int level) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        double rateWithoutPressure = Decider.decide(policy, r, 0).sampleRate();
        return new ShedEntry(r.id(), r.app(), r.kind(), Outcome.statsLevel(r.kind(), r.level()), r.ts(), source.topic(),
                source.partition(), source.offset(), level, destination(policy), policy.importance().label(),
                policy.retentionDays(), rateWithoutPressure);
    }

    /**
     * The topic a kept record of {@code policy}'s app goes to: its explicit route, else the lane of its
     * importance, so the sink can drain critical records before a low app's backlog.
     */
    private String destination(Policy policy) {
        String lane = lanes.get(policy.importance());
        return policy.routeOr(lane != null ? lane : names.topics().lane(policy.importance()));
    }

    private void emitStats(long now) {
        for (StatsRecord s : stats.drain()) {
            context.forward(new Record<>(s.app(), s.encode(), now), names.statsChild());
        }
    }

    private static String appFromKey(byte[] key) {
        String app = key == null ? null : Labels.normalise(new String(key, StandardCharsets.UTF_8));
        return app == null ? Outcome.UNKNOWN_APP : app;
    }
}
