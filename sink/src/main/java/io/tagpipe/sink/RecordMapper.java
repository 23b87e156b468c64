package io.tagpipe.sink;

import java.time.Clock;
import java.util.Set;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.StatsRecord;
import io.tagpipe.wire.UnreadableRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a consumed record into a row of the right table, filling the processor's fields when they
 * are missing (sample rate 1.0, the default retention, importance "normal"). Never throws: whatever
 * cannot be read becomes an {@link Unreadable}.
 */
final class RecordMapper {
    static final String DEFAULT_IMPORTANCE = "normal";
    private static final int MAX_RETENTION_DAYS = 3650;

    private final EnvelopeCodec codec;
    private final Set<String> keptTopics;
    private final int defaultRetentionDays;
    private final int statsRetentionDays;
    private final Clock clock;

    RecordMapper(EnvelopeCodec codec, Set<String> keptTopics, int defaultRetentionDays, int statsRetentionDays,
                 Clock clock) {
        this.codec = codec;
        this.keptTopics = Set.copyOf(keptTopics);
        this.defaultRetentionDays = defaultRetentionDays;
        this.statsRetentionDays = statsRetentionDays;
        this.clock = clock;
    }

    Mapped map(ConsumerRecord<byte[], byte[]> r) {
        try {
            return keptTopics.contains(r.topic()) ? envelopeRow(r) : statsRow(r);
        } catch (UnreadableRecordException e) {
            return new Unreadable(r.topic(), r.partition(), r.offset(), r.key(), r.value(), e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            return new Unreadable(r.topic(), r.partition(), r.offset(), r.key(), r.value(), "unreadable", String.valueOf(e));
        }
    }

    private Row envelopeRow(ConsumerRecord<byte[], byte[]> r) throws UnreadableRecordException {
        RawEnvelope raw = RawEnvelope.read(r.value(), codec.maxBytes());
        if (raw != null) {
            return row(r, raw.isLog(), null, raw, raw.ts(), raw.retentionDays(), raw.sampleRate(), raw.importance());
        }
        return decoded(r);
    }

    /** The row of a record decoded by the codec (what every record took before {@link RawEnvelope}). */
    Row decoded(ConsumerRecord<byte[], byte[]> r) throws UnreadableRecordException {
        Envelope e = codec.decode(r.value());
        return row(r, e.isLog(), e, null, e.ts(), e.retentionDays() == null ? 0 : e.retentionDays(),
                e.sampleRate() == null ? Double.NaN : e.sampleRate(), e.importance());
    }

    /** The processor's fields, or their defaults: retention 0 and rate NaN mean absent. */
    private Row row(ConsumerRecord<byte[], byte[]> r, boolean isLog, Envelope e, RawEnvelope raw, long ts,
                    int retentionDays, double sampleRate, String importance) {
        int retention = retention(retentionDays);
        double rate = sampleRate > 0 && sampleRate <= 1 ? sampleRate : 1.0;
        String imp = importance == null || importance.isEmpty() ? DEFAULT_IMPORTANCE : importance;
        return new Row(isLog ? Table.LOGS : Table.METRICS, r.topic(), r.partition(), r.offset(), r.key(), r.value(),
                e, raw, null, TimeClamp.clamp(ts, retention, clock.millis()), retention, rate, imp);
    }

    private Row statsRow(ConsumerRecord<byte[], byte[]> r) throws UnreadableRecordException {
        if (r.value() == null || r.value().length == 0) {
            throw new UnreadableRecordException("empty", "empty stats record");
        }
        StatsRecord s = StatsRecord.decode(r.value());
        return new Row(Table.INGEST_STATS, r.topic(), r.partition(), r.offset(), r.key(), r.value(), null, null, s,
                TimeClamp.clamp(s.minute(), statsRetentionDays, clock.millis()), statsRetentionDays, 1.0,
                DEFAULT_IMPORTANCE);
    }

    /** Missing (0) or nonsensical retention (≤ 0) means the default; absurdly long is capped at ten years. */
    private int retention(int days) {
        if (days < 1) {
            return defaultRetentionDays;
        }
        return Math.min(days, MAX_RETENTION_DAYS);
    }
}
