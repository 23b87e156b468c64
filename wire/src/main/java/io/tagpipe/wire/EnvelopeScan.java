package io.tagpipe.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where each envelope field's value lies in a record's JSON bytes, as {@link EnvelopeScanner} found
 * it: its type and its byte range, no strings made. Each reader takes what it needs from it: the
 * processor's router five strings ({@link EnvelopeCodec#read}), the sink every string as bytes to
 * copy into its insert. A field that appears twice holds its last value, as the codec reads it.
 */
public final class EnvelopeScan {
    /** The envelope's fields by their JSON names: the strings first, then the numbers and attrs. */
    public enum Field {
        ID, APP, APP_SOURCE, KIND, HOST, LEVEL, LOGGER, THREAD, MESSAGE, EXCEPTION, NAME, UNIT, TYPE, TRACE_ID,
        SPAN_ID, IMPORTANCE, V, TS, VALUE, SAMPLE_RATE, RETENTION_DAYS, ATTRS;

        private static final Field[] VALUES = values();
        private static final Map<String, Field> BY_JSON = new HashMap<>();

        static {
            for (Field f : VALUES) {
                BY_JSON.put(f.json, f);
            }
        }

        /** The field's JSON name. */
        public final String json = name().toLowerCase(Locale.ROOT);

        /** True for a field whose value is a string (or null). */
        public boolean isString() {
            return ordinal() <= IMPORTANCE.ordinal();
        }

        /** The field of this JSON name, or null. */
        public static Field of(String json) {
            return BY_JSON.get(json);
        }
    }

    /**
     * A value's type; a field never written is {@code ABSENT}. {@code OTHER_SCALAR}: a number, true or
     * false in a string field (the codec reads its text).
     */
    public static final byte ABSENT = 0, NULL = 1, STRING = 2, ESCAPED_STRING = 3, INTEGER = 4, DECIMAL = 5, OBJECT = 6,
            OTHER_SCALAR = 7;

    private static final int FIELDS = Field.VALUES.length;

    private final byte[] source;
    /** Per field: start and length of its value (a string's content, between the quotes). */
    private final int[] ranges = new int[2 * FIELDS];
    private final byte[] types = new byte[FIELDS];
    private JsonNumber number;
    int objectEnd;
    boolean unknownFields;
    int attrObjects;
    boolean attrsPlain = true;
    int[] attrs; // per attr: key start, key length, value start (-1: null), value length
    int attrCount;

    EnvelopeScan(byte[] source) {
        this.source = source;
    }

    void set(int field, byte type, int start, int length) {
        types[field] = type;
        ranges[2 * field] = start;
        ranges[2 * field + 1] = length;
    }

    void attr(int keyStart, int keyLength, int valueStart, int valueLength) {
        if (attrs == null) {
            attrs = new int[16];
        } else if (4 * attrCount == attrs.length) {
            attrs = Arrays.copyOf(attrs, attrs.length * 2);
        }
        attrs[4 * attrCount] = keyStart;
        attrs[4 * attrCount + 1] = keyLength;
        attrs[4 * attrCount + 2] = valueStart;
        attrs[4 * attrCount + 3] = valueLength;
        attrCount++;
    }

    /** The record's bytes. */
    public byte[] source() {
        return source;
    }

    public byte type(Field f) {
        return types[f.ordinal()];
    }

    /** Where the value starts: a string's first content byte, a number's first character. */
    public int start(Field f) {
        return ranges[2 * f.ordinal()];
    }

    /** The value's length in bytes (a string's content, without quotes). */
    public int length(Field f) {
        return ranges[2 * f.ordinal() + 1];
    }

    /** True when any of the policy fields is present, null included. */
    public boolean hasPolicyFields() {
        return types[Field.SAMPLE_RATE.ordinal()] != ABSENT || types[Field.RETENTION_DAYS.ordinal()] != ABSENT
                || types[Field.IMPORTANCE.ordinal()] != ABSENT;
    }

    /** The index of the top-level object's closing brace (where policy fields can be spliced in). */
    public int objectEnd() {
        return objectEnd;
    }

    /** True when the record has top-level fields the envelope does not define (the codec keeps them as attrs). */
    public boolean hasUnknownFields() {
        return unknownFields;
    }

    /**
     * True when the attrs are one object (or null, or absent) of strings without escapes or nulls, with
     * keys without escapes: then {@link #attrCount} and the attr ranges are the attrs as the codec reads
     * them, repeated keys aside. Only recorded when the scan was asked for attr ranges.
     */
    public boolean attrsArePlain() {
        return attrsPlain && attrObjects <= 1;
    }

    public int attrCount() {
        return attrCount;
    }

    public int attrKeyStart(int i) {
        return attrs[4 * i];
    }

    public int attrKeyLength(int i) {
        return attrs[4 * i + 1];
    }

    /** -1 for a null value. */
    public int attrValueStart(int i) {
        return attrs[4 * i + 2];
    }

    public int attrValueLength(int i) {
        return attrs[4 * i + 3];
    }

    /** An {@link #INTEGER} field's value (the scanner took at most 18 digits). */
    public long integer(Field f) {
        int from = start(f);
        int to = from + length(f);
        boolean negative = source[from] == '-';
        long value = 0;
        for (int k = negative ? from + 1 : from; k < to; k++) {
            value = value * 10 + (source[k] - '0');
        }
        return negative ? -value : value;
    }

    /** An {@link #INTEGER} or {@link #DECIMAL} field's value as the codec's parser gives it ({@link JsonNumber}). */
    public double number(Field f) {
        if (number == null) {
            number = new JsonNumber();
        }
        if (number.read(source, start(f)) < 0) {
            throw new IllegalStateException("not a number the scanner takes: " + text(f));
        }
        return number.doubleValue();
    }

    /** A string field's content, a number's literal; null when absent or null. Escapes are not decoded. */
    public String text(Field f) {
        byte t = type(f);
        return t == ABSENT || t == NULL ? null : new String(source, start(f), length(f), StandardCharsets.UTF_8);
    }
}
