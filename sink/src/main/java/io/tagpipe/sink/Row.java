package io.tagpipe.sink;

import java.util.Map;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.StatsRecord;

/**
 * One row on its way to a table: the record (an {@link Envelope} or, for a plain one, its
 * {@link RawEnvelope} bytes, or a {@link StatsRecord}), where it came from in Kafka, and the
 * values the sink derived (storage time, retention).
 *
 * @param storedTs    epoch millis used for {@code ts} and partitioning (clamped, see {@link TimeClamp})
 * @param original    the Kafka value bytes, for the DLQ if ClickHouse rejects the row
 */
record Row(Table table, String topic, int partition, long offset, byte[] key, byte[] original,
           Envelope envelope, RawEnvelope raw, StatsRecord stats, long storedTs, int retentionDays, double sampleRate,
           String importance) implements Mapped {

    long recordTs() {
        if (raw != null) {
            return raw.ts();
        }
        return envelope != null ? envelope.ts() : stats.minute();
    }

    Map<String, String> attrs() {
        return raw != null ? raw.attrs() : envelope.attrs();
    }
}
