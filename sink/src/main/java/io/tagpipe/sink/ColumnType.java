package io.tagpipe.sink;

import java.util.List;
import java.util.Map;

/** ClickHouse column types the sink writes: their DDL and RowBinary encoding per {@link Dialect}. */
enum ColumnType {
    /** Storage time, epoch millis in: DateTime (seconds) on legacy, DateTime64(3) on current. */
    TIME("DateTime", "DateTime64(3)"),
    INT64("Int64", "Int64"),
    UINT16("UInt16", "UInt16"),
    UINT32("UInt32", "UInt32"),
    UINT64("UInt64", "UInt64"),
    FLOAT64("Float64", "Float64"),
    STRING("String", "String"),
    /** Few distinct values: LowCardinality on current servers (experimental on 18.16, so plain there). */
    LC_STRING("String", "LowCardinality(String)"),
    /** Map(String,String) on current servers; parallel {@code name.key}/{@code name.value} arrays on legacy. */
    ATTRS(null, "Map(String, String)");

    private final String legacy;
    private final String current;

    ColumnType(String legacy, String current) {
        this.legacy = legacy;
        this.current = current;
    }

    /** Column names as stored: ATTRS is two columns on legacy. */
    List<String> names(String name, Dialect d) {
        return this == ATTRS && d == Dialect.LEGACY ? List.of(name + ".key", name + ".value") : List.of(name);
    }

    /** DDL of the column(s), e.g. {@code `ts` DateTime}. */
    String ddl(String name, Dialect d) {
        if (this == ATTRS && d == Dialect.LEGACY) {
            return Sql.ident(name + ".key") + " Array(String), " + Sql.ident(name + ".value") + " Array(String)";
        }
        return Sql.ident(name) + " " + (d == Dialect.LEGACY ? legacy : current);
    }

    @SuppressWarnings("unchecked")
    void write(RowBinary out, Object v, Dialect d) {
        switch (this) {
            case TIME, INT64, UINT64, UINT16, UINT32 -> writeLong(out, ((Number) v).longValue(), d);
            case FLOAT64 -> out.float64(v == null ? Double.NaN : ((Number) v).doubleValue());
            case STRING, LC_STRING -> out.string((String) v);
            case ATTRS -> writeAttrs(out, (Map<String, String>) v, d);
        }
    }

    /** An integer column (TIME is epoch millis); no boxing on the hot path. */
    void writeLong(RowBinary out, long v, Dialect d) {
        switch (this) {
            case TIME -> {
                if (d == Dialect.LEGACY) {
                    out.int32(Math.floorDiv(v, 1000L));
                } else {
                    out.int64(v);
                }
            }
            case INT64, UINT64 -> out.int64(v);
            case UINT16 -> out.int16((int) v);
            case UINT32 -> out.int32(v);
            default -> throw new IllegalArgumentException(this + " is not an integer column");
        }
    }

    private static void writeAttrs(RowBinary out, Map<String, String> attrs, Dialect d) {
        if (d == Dialect.CURRENT) {
            out.varint(attrs.size());
            attrs.forEach((k, val) -> {
                out.string(k);
                out.string(val);
            });
            return;
        }
        out.varint(attrs.size());
        attrs.keySet().forEach(out::string);
        out.varint(attrs.size());
        attrs.values().forEach(out::string);
    }
}
