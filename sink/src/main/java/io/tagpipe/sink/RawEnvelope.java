package io.tagpipe.sink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.EnvelopeScan;
import io.tagpipe.wire.EnvelopeScan.Field;
import io.tagpipe.wire.EnvelopeScanner;
import io.tagpipe.wire.Labels;
import io.tagpipe.wire.policy.Importance;

/**
 * An envelope read for the insert straight from its JSON bytes: each string is a range of those
 * bytes, copied into the RowBinary buffer as it is. No String, attrs map or {@link Envelope} is
 * built per row: in the profile, building them and encoding the strings back to UTF-8 took more of
 * the sink's CPU than anything else.
 *
 * <p>Only plain records are read here: {@link #read} returns null for anything else (a field of
 * an unexpected JSON type, a number written as a string, an unknown top-level field, a repeated
 * attrs key, a label that is not in normal form, a missing field, another version …), and the
 * caller decodes that record with {@link EnvelopeCodec#decode}, the one place of the envelope's
 * rules and errors. Two readers, the cheaper first: {@link EnvelopeScanner} (shared with the
 * processor) takes records whose strings
 * have no escapes (the common case), {@link RawParser} (Jackson) also those with escapes. For a
 * record read here, the columns written are the ones the decoded {@link Envelope} gives (attrs in
 * the record's order, where the envelope's map has an order of its own).
 */
final class RawEnvelope {
    /** More attrs than this: the record is decoded the usual way (duplicates are checked pairwise). */
    static final int MAX_ATTRS = 32;
    /** A position of a string: absent; {@code 1 + start} in the record ({@link #inRecord}); {@code -1 - start} in {@link #side}. */
    static final int ABSENT = 0;
    /** The string fields come first among the envelope's fields. */
    private static final int FIELDS = Field.IMPORTANCE.ordinal() + 1;
    private static final Field[] STRING_FIELDS = Arrays.copyOf(Field.values(), FIELDS);
    private static final String[] IMPORTANCES = Arrays.stream(Importance.values()).map(Importance::label)
            .toArray(String[]::new);

    private final byte[] src;
    /** Per field: its position (see {@link #ABSENT}), then its length. */
    private final int[] ranges = new int[2 * FIELDS];
    /** UTF-8 of strings decoded by the parser (escapes). */
    private byte[] side;
    private int sideSize;
    private long ts;
    private boolean hasTs;
    private int v = Envelope.VERSION;
    private double value = Double.NaN;
    private double sampleRate = Double.NaN;
    private int retentionDays;
    private boolean attrsRead;
    private int[] attrs; // per attr: key position, key length, value position, value length
    private int attrCount;

    RawEnvelope(byte[] src) {
        this.src = src;
    }

    /**
     * The record read from {@code bytes}, or null when it is not plain (see the class comment): the
     * caller must then decode it with {@link EnvelopeCodec#decode}, which accepts or rejects it.
     */
    static RawEnvelope read(byte[] bytes, int maxBytes) {
        if (bytes == null || bytes.length == 0 || bytes.length > maxBytes) {
            return null;
        }
        RawEnvelope e = scanned(bytes);
        if (e == null) {
            e = RawParser.parse(bytes);
        }
        return e != null && e.valid() ? e : null;
    }

    /**
     * The record as {@link EnvelopeScanner} found it, or null when it is not plain: a string with
     * escapes (the parser decodes those), an unknown field, attrs that are not one object of plain
     * strings (before this class's own checks).
     */
    static RawEnvelope scanned(byte[] bytes) {
        EnvelopeScan s = EnvelopeScanner.scan(bytes, true);
        if (s == null || s.hasUnknownFields() || !s.attrsArePlain()) {
            return null;
        }
        RawEnvelope e = new RawEnvelope(s.source());
        for (int k = 0; k < FIELDS; k++) {
            Field f = STRING_FIELDS[k];
            switch (s.type(f)) {
                case EnvelopeScan.STRING -> e.string(f, inRecord(s.start(f)), s.length(f));
                case EnvelopeScan.NULL -> e.string(f, ABSENT, 0);
                case EnvelopeScan.ABSENT -> { }
                default -> {
                    return null; // escapes
                }
            }
        }
        if (s.type(Field.V) != EnvelopeScan.ABSENT) {
            e.version((int) s.integer(Field.V));
        }
        if (s.type(Field.TS) != EnvelopeScan.ABSENT) {
            e.ts(s.integer(Field.TS));
        }
        e.value(number(s, Field.VALUE));
        e.sampleRate(number(s, Field.SAMPLE_RATE));
        double days = number(s, Field.RETENTION_DAYS);
        e.retentionDays(Double.isNaN(days) ? 0 : (int) days);
        if (s.attrCount() > 0) {
            e.beginAttrs();
            for (int a = 0; a < s.attrCount(); a++) {
                int value = s.attrValueStart(a) < 0 ? ABSENT : inRecord(s.attrValueStart(a));
                if (!e.attr(inRecord(s.attrKeyStart(a)), s.attrKeyLength(a), value, s.attrValueLength(a))) {
                    return null;
                }
            }
        }
        return e;
    }

    /** A number field's value, NaN when absent or null. */
    private static double number(EnvelopeScan s, Field f) {
        byte t = s.type(f);
        return t == EnvelopeScan.INTEGER || t == EnvelopeScan.DECIMAL ? s.number(f) : Double.NaN;
    }

    /** The position of bytes of the record from {@code start}. */
    static int inRecord(int start) {
        return 1 + start;
    }

    /** Keeps {@code utf8} beside the record; returns its position. */
    int inSide(byte[] utf8) {
        if (side == null) {
            side = new byte[Math.max(64, utf8.length)];
        } else if (sideSize + utf8.length > side.length) {
            side = Arrays.copyOf(side, Math.max(side.length * 2, sideSize + utf8.length));
        }
        System.arraycopy(utf8, 0, side, sideSize, utf8.length);
        int pos = -1 - sideSize;
        sideSize += utf8.length;
        return pos;
    }

    void string(Field f, int pos, int len) {
        ranges[2 * f.ordinal()] = pos;
        ranges[2 * f.ordinal() + 1] = len;
    }

    void ts(long millis) {
        ts = millis;
        hasTs = true;
    }

    /** The version as the codec reads it: a number cast to int. */
    void version(int version) {
        v = version;
    }

    /** NaN: absent. */
    void value(double d) {
        value = d;
    }

    /** NaN: absent. */
    void sampleRate(double rate) {
        sampleRate = rate;
    }

    /** 0: absent. */
    void retentionDays(int days) {
        retentionDays = days;
    }

    /** False when attrs were read already (a second {@code attrs} object merges in the codec: not plain). */
    boolean beginAttrs() {
        if (attrsRead) {
            return false;
        }
        attrsRead = true;
        return true;
    }

    /** Adds an attr (value {@link #ABSENT}: null, the empty string); false when its key repeats or there are too many. */
    boolean attr(int keyPos, int keyLen, int valuePos, int valueLen) {
        if (attrCount == MAX_ATTRS) {
            return false;
        }
        for (int i = 0; i < attrCount; i++) {
            int k = attrs[4 * i];
            int kl = attrs[4 * i + 1];
            if (kl == keyLen && Arrays.equals(bytes(k), offset(k), offset(k) + kl, bytes(keyPos), offset(keyPos),
                    offset(keyPos) + keyLen)) {
                return false;
            }
        }
        if (attrs == null) {
            attrs = new int[16];
        } else if (4 * attrCount == attrs.length) {
            attrs = Arrays.copyOf(attrs, attrs.length * 2);
        }
        attrs[4 * attrCount] = keyPos;
        attrs[4 * attrCount + 1] = keyLen;
        attrs[4 * attrCount + 2] = valuePos == ABSENT ? inRecord(0) : valuePos;
        attrs[4 * attrCount + 3] = valuePos == ABSENT ? 0 : valueLen;
        attrCount++;
        return true;
    }

    /** The checks {@link EnvelopeCodec#decode} makes of a whole record, and a label already normal. */
    private boolean valid() {
        if (isEmpty(Field.ID) || isEmpty(Field.APP) || isEmpty(Field.KIND) || !hasTs || v != Envelope.VERSION) {
            return false;
        }
        if (!isLog() && !is(Field.KIND, Envelope.KIND_METRIC)) {
            return false;
        }
        String app = text(Field.APP);
        return app.equals(Labels.normalise(app)); // else the codec normalises it and keeps app_raw
    }

    /** True when every string was copied from the record as it is (none needed decoding). */
    boolean allPlain() {
        return side == null;
    }

    boolean isLog() {
        return is(Field.KIND, Envelope.KIND_LOG);
    }

    long ts() {
        return ts;
    }

    /** The record's value, NaN when absent (what the value column holds then). */
    double value() {
        return value;
    }

    /** NaN when absent. */
    double sampleRate() {
        return sampleRate;
    }

    /** 0 when absent. */
    int retentionDays() {
        return retentionDays;
    }

    /** The importance label, null when absent or empty; a known label without a copy (it is on every row). */
    String importance() {
        if (isEmpty(Field.IMPORTANCE)) {
            return null;
        }
        for (String label : IMPORTANCES) {
            if (is(Field.IMPORTANCE, label)) {
                return label;
            }
        }
        return text(Field.IMPORTANCE);
    }

    private boolean isEmpty(Field f) {
        return ranges[2 * f.ordinal()] == ABSENT || ranges[2 * f.ordinal() + 1] == 0;
    }

    /** True when field {@code f} holds exactly the ASCII text {@code s}. */
    boolean is(Field f, String s) {
        int pos = ranges[2 * f.ordinal()];
        int len = ranges[2 * f.ordinal() + 1];
        if (pos == ABSENT || len != s.length()) {
            return false;
        }
        byte[] b = bytes(pos);
        int off = offset(pos);
        for (int i = 0; i < len; i++) {
            if (b[off + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The field's text, or null when absent. */
    String text(Field f) {
        return text(ranges[2 * f.ordinal()], ranges[2 * f.ordinal() + 1]);
    }

    /** The attrs in the record's order (tests, diagnostics; the insert writes them from the bytes). */
    Map<String, String> attrs() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < attrCount; i++) {
            out.put(text(attrs[4 * i], attrs[4 * i + 1]), text(attrs[4 * i + 2], attrs[4 * i + 3]));
        }
        return out;
    }

    /** Appends the field as a RowBinary String (absent: empty), as {@link RowBinary#string(String)} would. */
    void writeString(Field f, RowBinary out) {
        write(ranges[2 * f.ordinal()], ranges[2 * f.ordinal() + 1], out);
    }

    /** Appends the attrs as {@link ColumnType#ATTRS} in dialect {@code d}. */
    void writeAttrs(RowBinary out, Dialect d) {
        out.varint(attrCount);
        for (int i = 0; i < attrCount; i++) {
            write(attrs[4 * i], attrs[4 * i + 1], out);
            if (d == Dialect.CURRENT) {
                write(attrs[4 * i + 2], attrs[4 * i + 3], out);
            }
        }
        if (d == Dialect.LEGACY) {
            out.varint(attrCount);
            for (int i = 0; i < attrCount; i++) {
                write(attrs[4 * i + 2], attrs[4 * i + 3], out);
            }
        }
    }

    private void write(int pos, int len, RowBinary out) {
        if (pos == ABSENT) {
            out.varint(0);
        } else {
            out.string(bytes(pos), offset(pos), len);
        }
    }

    private String text(int pos, int len) {
        return pos == ABSENT ? null : new String(bytes(pos), offset(pos), len, StandardCharsets.UTF_8);
    }

    private byte[] bytes(int pos) {
        return pos > 0 ? src : side;
    }

    private static int offset(int pos) {
        return pos > 0 ? pos - 1 : -1 - pos;
    }
}
