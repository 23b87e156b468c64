package io.tagpipe.sink;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumed but not yet acknowledged: per topic-partition the offset range (first, last) the batch
 * covers, the rows per table (already RowBinary-encoded, see {@link EncodedRows}), and the records
 * bound for the DLQ. Flushed when it reaches the row or byte limit or its oldest record waited
 * {@code maxWaitMs} — or, while no insert is in flight, once it holds {@code minRows}: a batch then
 * grows while the previous insert runs, so inserts stay large under load (the row limit) and rows
 * do not sit out the full wait when ClickHouse is idle. The row limit can be lowered from outside
 * ({@link #withRowCap}): under load a batch shrinks to what ClickHouse inserts in the insert-time target,
 * so no INSERT holds the single insert slot for long. Not thread-safe: one thread fills it, then
 * hands it over whole.
 */
final class PendingBatch {
    /** One partition's share of the batch: offsets first..last (inclusive). */
    record Range(TopicPartition tp, long first, long last) {
    }

    private final int maxRows;
    private final int minRows;
    private final long maxBytes;
    private final long maxWaitMs;
    private final Map<TopicPartition, Range> ranges = new LinkedHashMap<>();
    private final Dialect dialect;
    private final ZoneId zone;
    private final Partitioning partitioning;
    private final Map<Table, EncodedRows> rows = new EnumMap<>(Table.class);
    private final List<Unreadable> unreadable = new ArrayList<>();
    private int rowCount;
    private long bytes;
    private long startedAtMs = -1;
    private java.util.function.IntSupplier rowCap = () -> Integer.MAX_VALUE;

    /** @param zone the server's time zone, in which {@code toYYYYMMDD} picks a row's partition */
    PendingBatch(int minRows, int maxRows, long maxBytes, long maxWaitMs, Dialect dialect, ZoneId zone) {
        this.dialect = dialect;
        this.zone = zone;
        this.partitioning = new Partitioning(zone);
        this.minRows = minRows;
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
        this.maxWaitMs = maxWaitMs;
    }

    /** An empty batch with the same limits (the pipeline alternates two). */
    PendingBatch twin() {
        return new PendingBatch(minRows, maxRows, maxBytes, maxWaitMs, dialect, zone).withRowCap(rowCap);
    }

    /** The row limit is the lower of {@code maxRows} and what {@code cap} says now (asked at each {@link #isDue}). */
    PendingBatch withRowCap(java.util.function.IntSupplier cap) {
        this.rowCap = cap;
        return this;
    }

    /** Extends the partition's range; {@code m} is null when the record is already stored. */
    void add(TopicPartition tp, long offset, Mapped m, int sizeBytes, long nowMs) {
        cover(tp, offset, offset, nowMs);
        add(m, sizeBytes);
    }

    /**
     * Extends the partition's range to {@code last} (starting it at {@code first} if the batch has none of it
     * yet): a poll's run of its records, in offset order, each then added with {@link #add(Mapped, int)}.
     */
    void cover(TopicPartition tp, long first, long last, long nowMs) {
        if (startedAtMs < 0) {
            startedAtMs = nowMs;
        }
        Range range = ranges.get(tp);
        ranges.put(tp, range == null ? new Range(tp, first, last) : new Range(tp, range.first(), last));
    }

    /** One record of a range already {@link #cover}ed; {@code m} is null when the record is already stored. */
    void add(Mapped m, int sizeBytes) {
        if (m instanceof Row r) {
            EncodedRows encoded = rows.get(r.table());
            if (encoded == null) {
                encoded = new EncodedRows(r.table(), dialect, partitioning);
                rows.put(r.table(), encoded);
            }
            try {
                encoded.add(r);
            } catch (RuntimeException e) {
                // a bug in a column accessor must not stop the sink or tear the batch: DLQ it
                unreadable.add(new Unreadable(r.topic(), r.partition(), r.offset(), r.key(), r.original(),
                        "unencodable", String.valueOf(e)));
            }
            rowCount++;
        } else if (m instanceof Unreadable u) {
            unreadable.add(u);
            rowCount++;
        }
        bytes += sizeBytes;
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** @param insertIdle no insert is in flight: {@code minRows} rows are enough */
    boolean isDue(long nowMs, boolean insertIdle) {
        int limit = rowLimit();
        return !isEmpty() && (rowCount >= limit || bytes >= maxBytes || nowMs - startedAtMs >= maxWaitMs
                || insertIdle && rowCount >= Math.min(minRows, limit));
    }

    /** At the hard row or byte limit: nothing more may join, however long it waits. */
    boolean isFull() {
        return rowCount >= maxRows || bytes >= maxBytes;
    }

    /** The row limit of the moment: the lower of the hard limit and the insert-time cap ({@link #withRowCap}). */
    int rowLimit() {
        return Math.min(maxRows, rowCap.getAsInt());
    }

    /** Per table, its rows (tables without rows in this batch are absent or empty). */
    Map<Table, EncodedRows> rows() {
        return rows;
    }

    List<Unreadable> unreadable() {
        return unreadable;
    }

    List<Range> ranges() {
        return List.copyOf(ranges.values());
    }

    int rowCount() {
        return rowCount;
    }

    /** Offsets covered per topic (records consumed, stored ones included): for diagnostics. */
    Map<String, Long> recordsPerTopic() {
        Map<String, Long> out = new java.util.TreeMap<>();
        ranges.values().forEach(r -> out.merge(r.tp().topic(), r.last() - r.first() + 1, Long::sum));
        return out;
    }

    /** The offsets to commit once every row is acknowledged: last + 1 per partition. */
    Map<TopicPartition, OffsetAndMetadata> commitOffsets() {
        Map<TopicPartition, OffsetAndMetadata> m = new LinkedHashMap<>();
        ranges.values().forEach(r -> m.put(r.tp(), new OffsetAndMetadata(r.last() + 1)));
        return m;
    }

    void clear() {
        ranges.clear();
        rows.values().forEach(EncodedRows::clear); // keeps the buffers for the next batch
        unreadable.clear();
        rowCount = 0;
        bytes = 0;
        startedAtMs = -1;
    }
}
