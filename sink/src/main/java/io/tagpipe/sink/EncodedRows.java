package io.tagpipe.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of one table in a batch, encoded as they arrive: their RowBinary bytes back to back in
 * one {@link RowBinary} buffer, where each row ends, its ClickHouse partition, and where it came
 * from. Holding bytes instead of decoded rows keeps a batch at about the size of its Kafka values,
 * and the insert streams the buffer as it is. However many partitions a batch spans, they share
 * the one buffer: {@link #byPartition()} only indexes it. Not thread-safe: filled by the consumer
 * thread, then handed to the inserter.
 */
final class EncodedRows {
    /** Where a row came from: for the offset ledger and, if ClickHouse refuses the row, the DLQ. */
    record Source(String topic, int partition, long offset, byte[] key, byte[] original) {
    }

    private static final int INDEX_SIZE = 1024;

    private final Table table;
    private final Dialect dialect;
    private final Partitioning partitioning;
    private final RowBinary buffer = new RowBinary();
    private final List<Source> sources = new ArrayList<>();
    private long[] ends = new long[INDEX_SIZE];
    private long[] partitions = new long[INDEX_SIZE];
    private long[] recordTs = new long[INDEX_SIZE];

    EncodedRows(Table table, Dialect dialect, Partitioning partitioning) {
        this.table = table;
        this.dialect = dialect;
        this.partitioning = partitioning;
    }

    Table table() {
        return table;
    }

    /** Appends the row; throws (leaving the batch as it was) if it cannot be encoded. */
    void add(Row r) {
        if (r.table() != table) {
            throw new IllegalArgumentException("row of " + r.table() + " added to " + table);
        }
        long start = buffer.size();
        long partition;
        try {
            table.encodeInto(r, dialect, buffer);
            partition = partitioning.keyOf(r);
        } catch (RuntimeException e) {
            buffer.truncate(start); // never leave half a row in the batch
            throw e;
        }
        int n = sources.size();
        if (n == ends.length) {
            ends = Arrays.copyOf(ends, n * 2);
            partitions = Arrays.copyOf(partitions, n * 2);
            recordTs = Arrays.copyOf(recordTs, n * 2);
        }
        ends[n] = buffer.size();
        partitions[n] = partition;
        recordTs[n] = r.recordTs();
        sources.add(new Source(r.topic(), r.partition(), r.offset(), r.key(), r.original()));
    }

    int size() {
        return sources.size();
    }

    long bytes() {
        return buffer.size();
    }

    /** Every row, as one slice. */
    Slice all() {
        return new Slice(this, null, 0, size());
    }

    /**
     * One slice per ClickHouse partition (first-seen order), each with its rows in arrival order:
     * what one INSERT sends. Costs an int per row, never a copy of the bytes.
     */
    List<Slice> byPartition() {
        int n = size();
        Map<Long, int[]> groups = new LinkedHashMap<>(); // partition -> {rows, next index}
        for (int i = 0; i < n; i++) {
            groups.computeIfAbsent(partitions[i], k -> new int[2])[0]++;
        }
        if (groups.size() <= 1) {
            return n == 0 ? List.of() : List.of(all());
        }
        int[] order = new int[n];
        List<Slice> out = new ArrayList<>(groups.size());
        int start = 0;
        for (int[] g : groups.values()) {
            out.add(new Slice(this, order, start, start + g[0]));
            g[1] = start;
            start += g[0];
        }
        for (int i = 0; i < n; i++) {
            order[groups.get(partitions[i])[1]++] = i;
        }
        return out;
    }

    void clear() {
        buffer.reset();
        sources.clear();
        if (ends.length > 1 << 16) {
            ends = new long[INDEX_SIZE]; // do not keep a spike's index
            partitions = new long[INDEX_SIZE];
            recordTs = new long[INDEX_SIZE];
        }
    }

    /**
     * Rows of a table's batch: what one INSERT sends. Rows {@code [from, to)} of the batch, or with
     * {@code order}, the batch rows {@code order[from..to)} (one partition's rows).
     */
    record Slice(EncodedRows rows, int[] order, int from, int to) {
        Table table() {
            return rows.table;
        }

        int size() {
            return to - from;
        }

        Source source(int i) {
            return rows.sources.get(row(i));
        }

        List<Source> sources() {
            if (order == null) {
                return rows.sources.subList(from, to);
            }
            return new AbstractList<>() {
                @Override
                public Source get(int i) {
                    return source(i);
                }

                @Override
                public int size() {
                    return Slice.this.size();
                }
            };
        }

        /** The ClickHouse partition of row {@code i} (see {@link Partitioning}). */
        long partition(int i) {
            return rows.partitions[row(i)];
        }

        /** Row {@code i}'s own time (epoch millis): the log call's, or a stats row's minute (see {@link Row#recordTs}). */
        long recordTs(int i) {
            return rows.recordTs[row(i)];
        }

        Slice head(int n) {
            return new Slice(rows, order, from, from + n);
        }

        Slice tail(int n) {
            return new Slice(rows, order, from + n, to);
        }

        /** The RowBinary bytes of these rows, streamed straight from the batch buffer, adjacent rows at once. */
        void writeTo(OutputStream out) throws IOException {
            int i = 0;
            while (i < size()) {
                int first = row(i);
                int last = first;
                while (i + 1 < size() && row(i + 1) == last + 1) {
                    i++;
                    last++;
                }
                rows.buffer.writeTo(out, rows.start(first), rows.ends[last]);
                i++;
            }
        }

        /** A copy of row {@code i}'s RowBinary bytes (tests, diagnostics). */
        byte[] rowBytes(int i) {
            int r = row(i);
            return rows.buffer.toBytes(rows.start(r), rows.ends[r]);
        }

        private int row(int i) {
            return order == null ? from + i : order[from + i];
        }
    }

    private long start(int row) {
        return row == 0 ? 0 : ends[row - 1];
    }
}
