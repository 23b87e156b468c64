package io.tagpipe.sink;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * What ClickHouse already holds, as the highest stored {@code kafka_offset} per (table, topic-partition).
 *
 * <p>Rows of one partition are inserted in offset order, one atomic INSERT at a time, so a table
 * holds every row of that partition up to its maximum. A topic can feed several tables (kept →
 * logs and metrics) that are inserted one after the other; so the resume position is the lowest
 * of the tables' positions, and rows a table already holds are skipped per table
 * ({@link #isStored}). The result: nothing lost, nothing written twice.
 *
 * <p>Thread-safe: the inserter thread acknowledges while the consumer thread asks {@link #isStored}.
 */
final class OffsetLedger {
    private final Map<Table, Map<TopicPartition, Long>> stored = new EnumMap<>(Table.class);

    synchronized void reload(Map<Table, Map<TopicPartition, Long>> fromStore) {
        stored.clear();
        fromStore.forEach((t, m) -> stored.put(t, new HashMap<>(m)));
    }

    synchronized boolean isStored(Table table, TopicPartition tp, long offset) {
        Long max = stored.getOrDefault(table, Map.of()).get(tp);
        return max != null && offset <= max;
    }

    /** Rows come in runs of one partition (as polled): one map update per run, not per row. */
    synchronized void acknowledge(Table table, List<EncodedRows.Source> rows) {
        Map<TopicPartition, Long> m = stored.computeIfAbsent(table, t -> new HashMap<>());
        EncodedRows.Source run = null;
        long max = Long.MIN_VALUE;
        for (EncodedRows.Source r : rows) {
            if (run != null && (r.partition() != run.partition() || !r.topic().equals(run.topic()))) {
                m.merge(new TopicPartition(run.topic(), run.partition()), max, Math::max);
                max = Long.MIN_VALUE;
            }
            if (max == Long.MIN_VALUE) {
                run = r;
            }
            max = Math.max(max, r.offset());
        }
        if (run != null) {
            m.merge(new TopicPartition(run.topic(), run.partition()), max, Math::max);
        }
    }

    /**
     * Where to resume reading {@code tp}, fed into {@code tables}: {@code null} means from the
     * beginning. {@code committed} (may be null) is safe too (committed only after every table
     * acknowledged), so the answer is never below it.
     */
    synchronized Long resumeOffset(TopicPartition tp, List<Table> tables, Long committed) {
        Long lowest = null;
        boolean first = true;
        for (Table t : tables) {
            Long max = stored.getOrDefault(t, Map.of()).get(tp);
            Long candidate = max != null ? Long.valueOf(max + 1) : committed;
            if (first || candidate == null || (lowest != null && candidate < lowest)) {
                lowest = candidate;
            }
            first = false;
        }
        if (committed != null && (lowest == null || committed > lowest)) {
            return committed;
        }
        return lowest;
    }
}
