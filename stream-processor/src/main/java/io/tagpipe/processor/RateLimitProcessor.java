package io.tagpipe.processor;

import java.nio.ByteBuffer;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies the app's {@code max_records_per_sec} to records that passed sampling, with one
 * {@link TokenBucket} per app in a changelogged store (exact across restarts under exactly-once).
 * Time is the envelope's {@code ts}, so a replay admits the same records. Records are keyed by
 * app, so one app's records meet one bucket.
 */
final class RateLimitProcessor implements FixedKeyProcessor<byte[], Judged, Judged> {
    private final String storeName;
    private FixedKeyProcessorContext<byte[], Judged> context;
    private KeyValueStore<String, TokenBucket> buckets;

    RateLimitProcessor(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Judged> context) {
        this.context = context;
        this.buckets = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<byte[], Judged> record) {
        Judged j = record.value();
        if (!j.decision().needsToken()) {
            context.forward(record);
            return;
        }
        String app = j.record().app();
        TokenBucket.Admission a = TokenBucket.take(buckets.get(app), j.record().ts(), j.policy().maxRecordsPerSec());
        buckets.put(app, a.next());
        context.forward(record.withValue(j.withDecision(j.decision().afterRateLimit(a.admitted()))));
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
