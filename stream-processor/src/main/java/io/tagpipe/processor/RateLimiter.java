package io.tagpipe.processor;

import java.nio.ByteBuffer;

import io.tagpipe.wire.policy.Policy;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies the app's {@code max_records_per_sec} to records that passed sampling, with one
 * {@link TokenBucket} per app in a changelogged store (exact across restarts under exactly-once).
 * Time is the envelope's {@code ts}, so a replay admits the same records. Records are keyed by
 * app, so one app's records meet one bucket. Records that need no token do not touch the store.
 */
final class RateLimiter {
    private final KeyValueStore<String, TokenBucket> buckets;

    RateLimiter(KeyValueStore<String, TokenBucket> buckets) {
        this.buckets = buckets;
    }

    /** The final decision for a record of {@code app} at {@code ts} that {@link Decider} judged {@code d}. */
    Decision apply(Decision d, String app, long ts, Policy policy) {
        if (!d.needsToken()) {
            return d;
        }
        TokenBucket.Admission a = TokenBucket.take(buckets.get(app), ts, policy.maxRecordsPerSec());
        buckets.put(app, a.next());
        return d.afterRateLimit(a.admitted());
    }

    /** 16 bytes: tokens (double), last time (long). */
    static Serde<TokenBucket> serde() {
        Serializer<TokenBucket> ser = (topic, b) -> b == null ? null
                : ByteBuffer.allocate(16).putDouble(b.tokens()).putLong(b.lastMillis()).array();
        Deserializer<TokenBucket> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            return new TokenBucket(buf.getDouble(), buf.getLong());
        };
        return Serdes.serdeFrom(ser, de);
    }
}
