package io.tagpipe.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of one table in a batch, encoded as they arrive: their RowBinary bytes back to back in
 * one {@link RowBinary} buffer, where each row ends, and where each came from. Holding bytes instead
 * of decoded rows keeps a batch at about the size of its Kafka values, and the insert streams the
 * buffer as it is. Not thread-safe: filled by the consumer thread, then handed to the inserter.
 */
final class EncodedRows {
    /** Where a row came from: for the offset ledger and, if ClickHouse refuses the row, the DLQ. */
    record Source(String topic, int partition, long offset, byte[] key, byte[] original) {
    }

    private final Table table;
    private final Dialect dialect;
    private final RowBinary buffer = new RowBinary();
    private final List<Source> sources = new ArrayList<>();
    private long[] ends = new long[1024];

    EncodedRows(Table table, Dialect dialect) {
        this.table = table;
        this.dialect = dialect;
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
        try {
            table.encodeInto(r, dialect, buffer);
        } catch (RuntimeException e) {
            buffer.truncate(start); // never leave half a row in the batch
            throw e;
        }
        if (sources.size() == ends.length) {
            ends = Arrays.copyOf(ends, ends.length * 2);
        }
        ends[sources.size()] = buffer.size();
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
        return new Slice(this, 0, size());
    }

    void clear() {
        buffer.reset();
        sources.clear();
        if (ends.length > 1 << 16) {
            ends = new long[1024]; // do not keep a spike's index
        }
    }

    /** Rows {@code [from, to)} of a table's batch: what one INSERT sends. */
    record Slice(EncodedRows rows, int from, int to) {
        Table table() {
            return rows.table;
        }

        int size() {
            return to - from;
        }

        Source source(int i) {
            return rows.sources.get(from + i);
        }

        List<Source> sources() {
            return rows.sources.subList(from, to);
        }

        Slice head(int n) {
            return new Slice(rows, from, from + n);
        }

        Slice tail(int n) {
            return new Slice(rows, from + n, to);
        }

        /** The RowBinary bytes of these rows, streamed straight from the batch buffer. */
        void writeTo(OutputStream out) throws IOException {
            if (to == from) {
                return;
            }
            rows.buffer.writeTo(out, start(), rows.ends[to - 1]);
        }

        /** A copy of row {@code i}'s RowBinary bytes (tests, diagnostics). */
        byte[] rowBytes(int i) {
            int r = from + i;
            return rows.buffer.toBytes(r == 0 ? 0 : rows.ends[r - 1], rows.ends[r]);
        }

        private long start() {
            return from == 0 ? 0 : rows.ends[from - 1];
        }
    }
}
