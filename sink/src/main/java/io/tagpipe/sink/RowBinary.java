package io.tagpipe.sink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable little-endian buffer writing ClickHouse's RowBinary encoding of one row. */
final class RowBinary {
    private byte[] buf = new byte[512];
    private int len;

    void reset() {
        len = 0;
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        put((byte) v);
    }

    void string(String s) {
        byte[] b = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
        varint(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    void int16(int v) {
        put((byte) v);
        put((byte) (v >>> 8));
    }

    void int32(long v) {
        for (int i = 0; i < 4; i++) {
            put((byte) (v >>> (8 * i)));
        }
    }

    void int64(long v) {
        for (int i = 0; i < 8; i++) {
            put((byte) (v >>> (8 * i)));
        }
    }

    void float64(double d) {
        int64(Double.doubleToLongBits(d));
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
