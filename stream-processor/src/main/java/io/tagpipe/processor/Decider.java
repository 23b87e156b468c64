package io.tagpipe.processor;

import io.tagpipe.wire.Decoded;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.Level;
import io.tagpipe.wire.Pressure;
import io.tagpipe.wire.StatsRecord;
import io.tagpipe.wire.policy.Importance;
import io.tagpipe.wire.policy.Policy;
import io.tagpipe.wire.policy.Shed;

/**
 * The pure keep/drop rule: {@link Policy} + {@link Envelope} + database pressure level →
 * {@link Decision}. No Kafka, no clock, no state: the rate cap is a second pure step
 * ({@link TokenBucket}) the topology applies when {@link Decision#needsToken()}.
 *
 * <p>Order, first match wins:
 * <ol>
 *   <li>importance {@code drop} → dropped, {@code policy_drop};</li>
 *   <li>metrics: kept iff sampled in at {@code metrics_sample_rate}, then subject to the cap;</li>
 *   <li>logs at an {@code always_keep_levels} level → kept, rate 1, never sampled nor capped;</li>
 *   <li>logs below {@code min_level} → dropped, {@code min_level} (no or unknown level: never);</li>
 *   <li>sampled out at {@code sample_rate} → dropped, {@code sampled};</li>
 *   <li>otherwise kept, subject to the cap ({@code rate_limit} when no token).</li>
 * </ol>
 *
 * <p>Then shedding ({@link Pressure}): the policy's {@link Shed} turns the level into a step. Step 0
 * leaves the decision as it is; a record already dropped keeps its reason. Of the kept records,
 * step 1 keeps those that sample in at a quarter of their rate (same hash, lower threshold: a
 * subset, traces whole; kept records carry the quarter rate) and every always-kept level; step 2
 * keeps only always-kept levels (metrics have none); step 3 or more keeps nothing. The records
 * this removes are dropped with reason {@code shed}.
 */
public final class Decider {
    private Decider() {
    }

    /** The decision without database pressure (level 0). */
    public static Decision decide(Policy policy, Envelope record) {
        return decide(policy, record, 0);
    }

    /** @param pressureLevel the database pressure level, 0..{@link Pressure#MAX} */
    public static Decision decide(Policy policy, Envelope record, int pressureLevel) {
        return decide(policy, record.isMetric(), Level.parse(record.level()), record.samplingKey(), pressureLevel);
    }

    /** The same rule on a record as the processor reads it (without building the envelope). */
    public static Decision decide(Policy policy, Decoded record, int pressureLevel) {
        return decide(policy, record.isMetric(), Level.parse(record.level()), record.samplingKey(), pressureLevel);
    }

    private static Decision decide(Policy policy, boolean metric, Level level, String samplingKey, int pressureLevel) {
        Decision asWritten = asWritten(policy, metric, level, samplingKey);
        int step = policy.shed().step(pressureLevel);
        if (step == 0 || !asWritten.keep()) {
            return asWritten;
        }
        boolean alwaysKept = !metric && level != null && policy.alwaysKeepLevels().contains(level);
        if (step >= 3 || (step == 2 && !alwaysKept)) {
            return Decision.dropped(StatsRecord.SHED, 0.0);
        }
        if (alwaysKept) {
            return asWritten;
        }
        double rate = asWritten.sampleRate() / 4;
        return Sampling.keep(samplingKey, rate) ? Decision.kept(rate, asWritten.needsToken())
                : Decision.dropped(StatsRecord.SHED, rate);
    }

    private static Decision asWritten(Policy policy, boolean metric, Level level, String samplingKey) {
        if (policy.importance() == Importance.DROP) {
            return Decision.dropped(StatsRecord.POLICY_DROP, 0.0);
        }
        if (metric) {
            return sample(policy, samplingKey, policy.metricsSampleRate());
        }
        if (level != null && policy.alwaysKeepLevels().contains(level)) {
            return Decision.kept(1.0, false);
        }
        if (level != null && !level.atLeast(policy.minLevel())) {
            return Decision.dropped(StatsRecord.MIN_LEVEL, policy.sampleRate());
        }
        return sample(policy, samplingKey, policy.sampleRate());
    }

    private static Decision sample(Policy policy, String samplingKey, double rate) {
        if (!Sampling.keep(samplingKey, rate)) {
            return Decision.dropped(StatsRecord.SAMPLED, rate);
        }
        return Decision.kept(rate, policy.hasRateCap());
    }
}
