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
        Envelope e = codec.decode(r.value());
        int retention = retention(e.retentionDays());
        double rate = e.sampleRate() == null || !(e.sampleRate() > 0 && e.sampleRate() <= 1) ? 1.0 : e.sampleRate();
        String importance = e.importance() == null || e.importance().isEmpty() ? DEFAULT_IMPORTANCE : e.importance();
        Table t = e.isLog() ? Table.LOGS : Table.METRICS;
        return new Row(t, r.topic(), r.partition(), r.offset(), r.key(), r.value(), e, null,
                TimeClamp.clamp(e.ts(), retention, clock.millis()), retention, rate, importance);
    }

    private Row statsRow(ConsumerRecord<byte[], byte[]> r) throws UnreadableRecordException {
        if (r.value() == null || r.value().length == 0) {
            throw new UnreadableRecordException("empty", "empty stats record");
        }
        StatsRecord s = StatsRecord.decode(r.value());
        return new Row(Table.INGEST_STATS, r.topic(), r.partition(), r.offset(), r.key(), r.value(), null, s,
                TimeClamp.clamp(s.minute(), statsRetentionDays, clock.millis()), statsRetentionDays, 1.0,
                DEFAULT_IMPORTANCE);
    }

    /** Missing or nonsensical retention (≤ 0) means the default; absurdly long is capped at ten years. */
    private int retention(Integer days) {
        if (days == null || days < 1) {
            return defaultRetentionDays;
        }
        return Math.min(days, MAX_RETENTION_DAYS);
    }
}
