package io.tagpipe.sink;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeScan;

/**
 * The three tables the sink writes, defined once: their DDL and their RowBinary row encoding come
 * from the same column list, so they cannot drift apart; their partition key is {@link Partitioning}.
 */
public enum Table {
    LOGS("logs", "(app, ts)", List.of(
            time(), recordTs(), env("id", Envelope::id), lc("app", Envelope::app),
            lc("app_source", Envelope::appSource), lc("host", Envelope::host), lc("level", Envelope::level),
            lc("logger", Envelope::logger), env("thread", Envelope::thread), env("message", Envelope::message),
            env("exception", Envelope::exception), env("trace_id", Envelope::traceId),
            env("span_id", Envelope::spanId), attrs(),
            sampleRate(), retention(), importance(), kafkaTopic(), kafkaPartition(), kafkaOffset())),
    METRICS("metrics", "(app, name, ts)", List.of(
            time(), recordTs(), env("id", Envelope::id), lc("app", Envelope::app),
            lc("app_source", Envelope::appSource), lc("host", Envelope::host), lc("name", Envelope::name),
            Column.ofDouble("value", Table::value), lc("unit", Envelope::unit),
            lc("type", Envelope::type), env("trace_id", Envelope::traceId), env("span_id", Envelope::spanId),
            attrs(),
            sampleRate(), retention(), importance(), kafkaTopic(), kafkaPartition(), kafkaOffset())),
    INGEST_STATS("ingest_stats", "(app, ts)", List.of(
            time(), recordTs(),
            new Column("app", ColumnType.LC_STRING, r -> r.stats().app()),
            new Column("kind", ColumnType.LC_STRING, r -> r.stats().kind()),
            new Column("level", ColumnType.LC_STRING, r -> r.stats().level()),
            new Column("reason", ColumnType.LC_STRING, r -> r.stats().reason()),
            Column.ofLong("count", ColumnType.UINT64, r -> r.stats().count()),
            retention(), kafkaTopic(), kafkaPartition(), kafkaOffset()));

    /**
     * One column: name, type, how to read its value from a {@link Row}, and how to write it. The
     * writer is derived from the same accessor; numeric columns get one that does not box (boxing
     * every long of every row showed in the profile).
     */
    record Column(String name, ColumnType type, Function<Row, Object> value, Writer writer) {
        Column(String name, ColumnType type, Function<Row, Object> value) {
            this(name, type, value, (r, out, d) -> type.write(out, value.apply(r), d));
        }

        static Column ofLong(String name, ColumnType type, ToLongFunction<Row> f) {
            return new Column(name, type, f::applyAsLong, (r, out, d) -> type.writeLong(out, f.applyAsLong(r), d));
        }

        static Column ofDouble(String name, ToDoubleFunction<Row> f) {
            return new Column(name, ColumnType.FLOAT64, f::applyAsDouble, (r, out, d) -> out.float64(f.applyAsDouble(r)));
        }
    }

    /** Appends one column's value of a row. */
    @FunctionalInterface
    interface Writer {
        void write(Row row, RowBinary out, Dialect d);
    }

    private final String tableName;
    private final String orderBy;
    private final List<Column> columns;

    Table(String tableName, String orderBy, List<Column> columns) {
        this.tableName = tableName;
        this.orderBy = orderBy;
        this.columns = columns;
    }

    public String tableName() {
        return tableName;
    }

    /** Idempotent CREATE TABLE for {@code database} in dialect {@code d}, on one server. */
    public String ddl(String database, Dialect d) {
        return Layout.single().ddl(this, database, d).get(0);
    }

    /**
     * The one CREATE TABLE of this table; {@link Layout} says only what it is called (with
     * {@code ON CLUSTER}, if any) and its engine.
     */
    String ddl(String target, String engine, Dialect d) {
        String cols = columns.stream().map(c -> "  " + c.type().ddl(c.name(), d)).collect(Collectors.joining(",\n"));
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(target)
                .append(" (\n").append(cols).append("\n) ENGINE = ").append(engine).append('\n')
                .append("PARTITION BY ").append(Partitioning.PARTITION_BY).append('\n')
                .append("ORDER BY ").append(orderBy);
        if (d == Dialect.CURRENT) {
            // Whole parts expire at once: no row-by-row TTL merges, same unit the retention job drops.
            sql.append("\nTTL toDateTime(ts) + toIntervalDay(retention_days)\nSETTINGS ttl_only_drop_parts = 1");
        }
        return sql.toString();
    }

    List<Column> columns() {
        return columns;
    }

    /** Column names in insert order (legacy attrs are two columns). */
    public List<String> columnNames(Dialect d) {
        return columns.stream().flatMap(c -> c.type().names(c.name(), d).stream()).toList();
    }

    /** Appends the RowBinary bytes of one row to {@code out}, columns in {@link #columnNames(Dialect)} order. */
    void encodeInto(Row row, Dialect d, RowBinary out) {
        for (Column c : columns) {
            c.writer().write(row, out, d);
        }
    }

    /** RowBinary bytes of one row alone (the format benchmark, tests). */
    byte[] encode(Row row, Dialect d) {
        RowBinary out = new RowBinary();
        encodeInto(row, d, out);
        return out.toBytes(0, out.size());
    }

    private static Column time() {
        return Column.ofLong(Partitioning.TS_COLUMN, ColumnType.TIME, Partitioning.STORED_TS);
    }

    private static Column recordTs() {
        // the record's own timestamp, never clamped
        return Column.ofLong("ts_ms", ColumnType.INT64, Row::recordTs);
    }

    private static Column env(String name, Function<Envelope, Object> f) {
        return envelopeString(name, ColumnType.STRING, f);
    }

    private static Column lc(String name, Function<Envelope, Object> f) {
        return envelopeString(name, ColumnType.LC_STRING, f);
    }

    /**
     * A string column named as the envelope's JSON field it holds: a plain record's bytes are copied
     * from the record ({@link RawEnvelope}), a decoded one's come from {@code f}.
     */
    private static Column envelopeString(String name, ColumnType type, Function<Envelope, Object> f) {
        EnvelopeScan.Field field = EnvelopeScan.Field.of(name);
        if (field == null || !field.isString()) {
            throw new IllegalStateException("column " + name + " is no string field of the envelope");
        }
        return new Column(name, type, r -> r.raw() != null ? r.raw().text(field) : f.apply(r.envelope()), (r, out, d) -> {
            if (r.raw() != null) {
                r.raw().writeString(field, out);
            } else {
                type.write(out, f.apply(r.envelope()), d);
            }
        });
    }

    private static double value(Row r) {
        if (r.raw() != null) {
            return r.raw().value();
        }
        Double v = r.envelope().value();
        return v == null ? Double.NaN : v;
    }

    private static Column attrs() {
        return new Column("attrs", ColumnType.ATTRS, Row::attrs, (r, out, d) -> {
            if (r.raw() != null) {
                r.raw().writeAttrs(out, d);
            } else {
                ColumnType.ATTRS.write(out, r.attrs(), d);
            }
        });
    }

    private static Column sampleRate() {
        return Column.ofDouble("sample_rate", Row::sampleRate);
    }

    private static Column retention() {
        return Column.ofLong(Partitioning.RETENTION_COLUMN, ColumnType.UINT16, Partitioning.RETENTION_DAYS);
    }

    private static Column importance() {
        return new Column("importance", ColumnType.LC_STRING, Row::importance);
    }

    private static Column kafkaTopic() {
        return new Column("kafka_topic", ColumnType.LC_STRING, Row::topic);
    }

    private static Column kafkaPartition() {
        return Column.ofLong("kafka_partition", ColumnType.UINT32, Row::partition);
    }

    private static Column kafkaOffset() {
        return Column.ofLong("kafka_offset", ColumnType.UINT64, Row::offset);
    }
}
