package io.tagpipe.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A growable little-endian buffer of ClickHouse's RowBinary encoding: a whole batch of rows is
 * written into it as records arrive, then streamed to the server from it ({@link #writeTo}).
 *
 * <p>Fixed-size chunks, not one array: growing a 10 MB array by doubling copied it again and
 * again, and a cleared buffer keeps up to {@link #KEEP_CHUNKS} chunks so steady batches allocate
 * nothing (a spike of huge rows does not stay allocated forever).
 *
 * <p>Every row repeats a few strings the sink itself holds once (the Kafka topic, the importance label):
 * their UTF-8 bytes are kept for the last {@link #CACHED_STRINGS} strings seen, by identity, instead of being
 * encoded again for every row.
 */
final class RowBinary {
    static final int CHUNK = 256 * 1024;
    static final int KEEP_CHUNKS = 32;
    static final int CACHED_STRINGS = 4;
    private static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] cur;
    private int curIndex = -1;
    private int pos;
    private long size;
    private final String[] cachedStrings = new String[CACHED_STRINGS];
    private final byte[][] cachedBytes = new byte[CACHED_STRINGS][];
    private int nextCached;

    /** Bytes written since the last {@link #reset()}. */
    long size() {
        return size;
    }

    void reset() {
        while (chunks.size() > KEEP_CHUNKS) {
            chunks.remove(chunks.size() - 1);
        }
        cur = null;
        curIndex = -1;
        pos = 0;
        size = 0;
    }

    /** Drops everything after the first {@code newSize} bytes (a row that failed half-way). */
    void truncate(long newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IndexOutOfBoundsException("truncate to " + newSize + " of " + size + " bytes");
        }
        size = newSize;
        if (newSize == 0) {
            cur = null;
            curIndex = -1;
            pos = 0;
            return;
        }
        curIndex = (int) ((newSize - 1) / CHUNK);
        cur = chunks.get(curIndex);
        pos = (int) (newSize - (long) curIndex * CHUNK);
    }

    /** Streams bytes {@code [from, to)} to {@code out}. */
    void writeTo(OutputStream out, long from, long to) throws IOException {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + size + " bytes");
        }
        long at = from;
        while (at < to) {
            int c = (int) (at / CHUNK);
            int off = (int) (at % CHUNK);
            int n = (int) Math.min(CHUNK - off, to - at);
            out.write(chunks.get(c), off, n);
            at += n;
        }
    }

    /** A copy of bytes {@code [from, to)}. */
    byte[] toBytes(long from, long to) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) (to - from));
        try {
            writeTo(out, from, to);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // cannot happen in memory
        }
        return out.toByteArray();
    }

    void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        put((byte) v);
    }

    /** Length-prefixed UTF-8; null is written as the empty string. */
    void string(String s) {
        if (s == null || s.isEmpty()) {
            varint(0);
            return;
        }
        byte[] b = utf8(s);
        string(b, 0, b.length);
    }

    /** The string's UTF-8 bytes, from the cache when it is one of the last few strings written (same instance). */
    private byte[] utf8(String s) {
        for (int i = 0; i < CACHED_STRINGS; i++) {
            if (cachedStrings[i] == s) {
                return cachedBytes[i];
            }
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        cachedStrings[nextCached] = s;
        cachedBytes[nextCached] = b;
        nextCached = (nextCached + 1) % CACHED_STRINGS;
        return b;
    }

    /** Length-prefixed: {@code len} bytes of {@code b} from {@code off}, already UTF-8. */
    void string(byte[] b, int off, int len) {
        varint(len);
        bytes(b, off, len);
    }

    void int16(int v) {
        if (cur != null && CHUNK - pos >= 2) {
            INT16.set(cur, pos, (short) v);
            advance(2);
            return;
        }
        put((byte) v);
        put((byte) (v >>> 8));
    }

    void int32(long v) {
        if (cur != null && CHUNK - pos >= 4) {
            INT32.set(cur, pos, (int) v);
            advance(4);
            return;
        }
        for (int i = 0; i < 4; i++) {
            put((byte) (v >>> (8 * i)));
        }
    }

    void int64(long v) {
        if (cur != null && CHUNK - pos >= 8) {
            INT64.set(cur, pos, v);
            advance(8);
            return;
        }
        for (int i = 0; i < 8; i++) {
            put((byte) (v >>> (8 * i)));
        }
    }

    private void advance(int n) {
        pos += n;
        size += n;
    }

    void float64(double d) {
        int64(Double.doubleToLongBits(d));
    }

    private void bytes(byte[] b, int off, int len) {
        int end = off + len;
        while (off < end) {
            if (cur == null || pos == CHUNK) {
                next();
            }
            int n = Math.min(CHUNK - pos, end - off);
            System.arraycopy(b, off, cur, pos, n);
            pos += n;
            off += n;
            size += n;
        }
    }

    private void put(byte b) {
        if (cur == null || pos == CHUNK) {
            next();
        }
        cur[pos++] = b;
        size++;
    }

    private void next() {
        curIndex++;
        if (curIndex == chunks.size()) {
            chunks.add(new byte[CHUNK]);
        }
        cur = chunks.get(curIndex);
        pos = 0;
    }
}
