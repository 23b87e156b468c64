package io.tagpipe.processor;

import io.tagpipe.wire.Decoded;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.Level;
import io.tagpipe.wire.StatsRecord;
import io.tagpipe.wire.policy.Importance;
import io.tagpipe.wire.policy.Policy;

/**
 * The pure keep/drop rule: {@link Policy} + {@link Envelope} → {@link Decision}. No Kafka, no
 * clock, no state: the rate cap is a second pure step ({@link TokenBucket}) the topology applies
 * when {@link Decision#needsToken()}. Inputs will grow (database pressure, DESIGN "Planned next")
 * by adding parameters here, not by changing the topology.
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
 */
public final class Decider {
    private Decider() {
    }

    public static Decision decide(Policy policy, Envelope record) {
        return decide(policy, record.isMetric(), record.level(), record.samplingKey());
    }

    /** The same rule on a record as the processor reads it (without building the envelope). */
    public static Decision decide(Policy policy, Decoded record) {
        return decide(policy, record.isMetric(), record.level(), record.samplingKey());
    }

    private static Decision decide(Policy policy, boolean metric, String rawLevel, String samplingKey) {
        if (policy.importance() == Importance.DROP) {
            return Decision.dropped(StatsRecord.POLICY_DROP, 0.0);
        }
        if (metric) {
            return sample(policy, samplingKey, policy.metricsSampleRate());
        }
        Level level = Level.parse(rawLevel);
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
