package io.tagpipe.processor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.tagpipe.wire.StatsRecord;

/**
 * Counts outcomes per (app, kind, level, reason, minute) in a changelogged store and, every
 * {@code interval} of wall-clock time, emits each non-zero count as a {@link StatsRecord} (key = app)
 * and clears it. Emitted lines are deltas: consumers sum them per key. Under exactly-once the
 * emission, the store update and the input offsets commit together, so counts are exact across
 * crashes — never lost, never counted twice.
 */
final class StatsProcessor implements Processor<byte[], Outcome, String, byte[]> {
    private final String storeName;
    private final Duration interval;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, Long> counts;

    StatsProcessor(String storeName, Duration interval) {
        this.storeName = storeName;
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.counts = context.getStateStore(storeName);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::emit);
    }

    @Override
    public void process(Record<byte[], Outcome> record) {
        String key = record.value().key();
        Long c = counts.get(key);
        counts.put(key, c == null ? 1L : c + 1);
    }

    private void emit(long now) {
        List<KeyValue<String, Long>> all = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = counts.all()) {
            it.forEachRemaining(all::add);
        }
        for (KeyValue<String, Long> kv : all) {
            StatsRecord s = Outcome.fromKey(kv.key, kv.value);
            context.forward(new Record<>(s.app(), s.encode(), now));
            counts.delete(kv.key);
        }
    }
}
