package io.tagpipe.sink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RowBinary as ClickHouse documents it: little-endian fixed ints, LEB128 lengths, UTF-8 bytes. */
final class RowBinaryReader {
    private final ByteBuffer in;

    RowBinaryReader(byte[] b) {
        in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    long varint() {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
    }

    String string() {
        byte[] b = new byte[(int) varint()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    List<String> strings(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(string());
        }
        return out;
    }

    List<String> stringArray() {
        return strings((int) varint());
    }

    long int32() {
        return in.getInt() & 0xFFFFFFFFL;
    }

    long int64() {
        return in.getLong();
    }

    int uint16() {
        return in.getShort() & 0xFFFF;
    }

    double float64() {
        return in.getDouble();
    }

    int remaining() {
        return in.remaining();
    }

    /** One whole row of {@code table} in dialect {@code d}, a value per column (attrs as a map, key order aside). */
    List<Object> row(Table table, Dialect d) {
        List<Object> row = new ArrayList<>();
        for (Table.Column c : table.columns()) {
            row.add(switch (c.type()) {
                case TIME -> d == Dialect.LEGACY ? int32() : int64();
                case INT64, UINT64 -> int64();
                case UINT32 -> int32();
                case UINT16 -> uint16();
                case FLOAT64 -> float64();
                case STRING, LC_STRING -> string();
                case ATTRS -> attrs(d);
            });
        }
        return row;
    }

    private Map<String, String> attrs(Dialect d) {
        Map<String, String> m = new LinkedHashMap<>();
        if (d == Dialect.CURRENT) {
            long n = varint();
            for (long i = 0; i < n; i++) {
                m.put(string(), string());
            }
            return m;
        }
        List<String> keys = stringArray();
        List<String> values = stringArray();
        for (int i = 0; i < keys.size(); i++) {
            m.put(keys.get(i), values.get(i));
        }
        return m;
    }
}
