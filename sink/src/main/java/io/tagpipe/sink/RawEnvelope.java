package io.tagpipe.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.base.ParserBase;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.Labels;
import io.tagpipe.wire.policy.Importance;

/**
 * An envelope read for the insert straight from its JSON bytes: each string field is a range of
 * those bytes, copied into the RowBinary buffer as it is. No String, attrs map or {@link Envelope}
 * is built per row: in the profile, building them and encoding the strings back to UTF-8 took
 * more of the sink's CPU than anything else.
 *
 * <p>Only plain records are read here: {@link #read} returns null for anything else (a field of
 * an unexpected JSON type, a number written as a string, an unknown top-level field, a repeated
 * attrs key, a label that is not in normal form, a missing field, another version …), and the
 * caller decodes that record with {@link EnvelopeCodec#decode}, the one place of the envelope's
 * rules and errors. For a record read here, the columns written are the ones the decoded
 * {@link Envelope} gives (attrs in the record's order, where the envelope's map has its own).
 * A string with escapes or non-ASCII characters is decoded by the parser and re-encoded exactly as
 * {@link String#getBytes} does; a plain ASCII string (no backslash) is the record's bytes, which
 * the parser skips without decoding.
 */
final class RawEnvelope {
    /** The envelope's string fields, by their JSON names. */
    enum Field {
        ID, APP, APP_SOURCE, KIND, HOST, LEVEL, LOGGER, THREAD, MESSAGE, EXCEPTION, NAME, UNIT, TYPE, TRACE_ID,
        SPAN_ID, IMPORTANCE;

        final String json = name().toLowerCase(Locale.ROOT);

        private static final Map<String, Field> BY_JSON = new HashMap<>();

        static {
            for (Field f : values()) {
                BY_JSON.put(f.json, f);
            }
        }

        /** The field of this JSON name, or null. */
        static Field of(String json) {
            return BY_JSON.get(json);
        }
    }

    /** Doubles (sample rates, values) with the parser's correctly rounded fast path: the same value as the JDK's. */
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    private static final int FIELDS = Field.values().length;
    /** More attrs than this: the record is decoded the usual way (duplicates are checked pairwise). */
    static final int MAX_ATTRS = 32;
    /** A position of a string: absent; {@code 1 + start} in {@link #src}; {@code -1 - start} in {@link #side}. */
    private static final int ABSENT = 0;
    private static final String[] IMPORTANCES = Arrays.stream(Importance.values()).map(Importance::label)
            .toArray(String[]::new);

    private final byte[] src;
    /** Per field: its position (see {@link #ABSENT}), then its length. */
    private final int[] ranges = new int[2 * FIELDS];
    /** UTF-8 of strings that are not plain ASCII in the record (escapes, other characters). */
    private byte[] side;
    private int sideSize;
    private long ts;
    private boolean hasTs;
    private int v = Envelope.VERSION;
    private double value = Double.NaN;
    private boolean hasValue;
    private double sampleRate = Double.NaN;
    private int retentionDays;
    private boolean attrsRead;
    private String[] attrKeys;
    private int[] attrValues; // start/length pairs, encoded like ranges
    private int attrCount;

    private RawEnvelope(byte[] src) {
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
        RawEnvelope e = new RawEnvelope(bytes);
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (!e.field(name, p)) {
                    return null;
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
        } catch (IOException | RuntimeException ex) {
            return null; // the codec reports it
        }
        return e.valid() ? e : null;
    }

    /** Reads one top-level field; false when it is not plain. */
    private boolean field(String name, JsonParser p) throws IOException {
        Field f = Field.of(name);
        if (f != null) {
            return string(p, ranges, 2 * f.ordinal());
        }
        JsonToken t = p.currentToken();
        switch (name) {
            case "v" -> {
                if (!t.isNumeric()) {
                    return false;
                }
                v = (int) p.getDoubleValue(); // as the codec reads it
            }
            case "ts" -> {
                if (t != JsonToken.VALUE_NUMBER_INT) {
                    return false;
                }
                ts = p.getLongValue();
                hasTs = true;
            }
            case "value" -> {
                if (t != JsonToken.VALUE_NULL && !t.isNumeric()) {
                    return false;
                }
                hasValue = t != JsonToken.VALUE_NULL;
                value = hasValue ? p.getDoubleValue() : Double.NaN;
            }
            case "sample_rate" -> {
                if (t != JsonToken.VALUE_NULL && !t.isNumeric()) {
                    return false;
                }
                sampleRate = t == JsonToken.VALUE_NULL ? Double.NaN : p.getDoubleValue();
            }
            case "retention_days" -> {
                if (t != JsonToken.VALUE_NULL && !t.isNumeric()) {
                    return false;
                }
                retentionDays = t == JsonToken.VALUE_NULL ? 0 : (int) p.getDoubleValue();
            }
            case "attrs" -> {
                return attrs(p);
            }
            default -> {
                return false; // unknown fields become attrs: the codec's business
            }
        }
        return true;
    }

    private boolean attrs(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return true;
        }
        if (p.currentToken() != JsonToken.START_OBJECT || attrsRead) {
            return false;
        }
        attrsRead = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if (attrCount == MAX_ATTRS) {
                return false;
            }
            if (attrKeys == null) {
                attrKeys = new String[4];
                attrValues = new int[8];
            } else if (attrCount == attrKeys.length) {
                attrKeys = Arrays.copyOf(attrKeys, attrCount * 2);
                attrValues = Arrays.copyOf(attrValues, attrCount * 4);
            }
            for (int i = 0; i < attrCount; i++) {
                if (attrKeys[i].equals(key)) {
                    return false;
                }
            }
            if (!string(p, attrValues, 2 * attrCount)) {
                return false;
            }
            if (attrValues[2 * attrCount] == ABSENT) { // null is the empty string in attrs
                attrValues[2 * attrCount] = 1;
                attrValues[2 * attrCount + 1] = 0;
            }
            attrKeys[attrCount++] = key;
        }
        return true;
    }

    /**
     * Stores the current string (or null) token at {@code into[at]}; false for any other token. A
     * string of plain ASCII is found by scanning the record's bytes up to its closing quote, and the
     * parser then skips it without decoding it (it still rejects control characters there); any
     * other string is decoded by the parser and re-encoded.
     */
    private boolean string(JsonParser p, int[] into, int at) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            into[at] = ABSENT;
            return true;
        }
        if (t != JsonToken.VALUE_STRING) {
            return false;
        }
        int start = (int) ((ParserBase) p).getTokenCharacterOffset(); // a field's value: after its opening quote
        int end = plainAsciiEnd(start);
        if (end >= 0) {
            into[at] = 1 + start;
            into[at + 1] = end - start;
            return true;
        }
        byte[] utf8 = p.getText().getBytes(StandardCharsets.UTF_8);
        ensureSide(utf8.length);
        System.arraycopy(utf8, 0, side, sideSize, utf8.length);
        into[at] = -1 - sideSize;
        into[at + 1] = utf8.length;
        sideSize += utf8.length;
        return true;
    }

    /** Where the string from {@code start} (just after an opening quote) ends, or -1 unless it is plain ASCII without escapes. */
    private int plainAsciiEnd(int start) {
        if (start < 1 || src[start - 1] != '"') {
            return -1;
        }
        for (int i = start; i < src.length; i++) {
            byte b = src[i];
            if (b == '"') {
                return i;
            }
            if (b < 0 || b == '\\') {
                return -1;
            }
        }
        return -1;
    }

    private void ensureSide(int more) {
        if (side == null) {
            side = new byte[Math.max(64, more)];
        } else if (sideSize + more > side.length) {
            side = Arrays.copyOf(side, Math.max(side.length * 2, sideSize + more));
        }
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

    boolean isLog() {
        return is(Field.KIND, Envelope.KIND_LOG);
    }

    /** True when every string was copied from the record as it is (none needed decoding). */
    boolean allPlain() {
        return side == null;
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
        return text(ranges, 2 * f.ordinal());
    }

    /** The attrs in the record's order (tests, diagnostics; the insert writes them from the bytes). */
    Map<String, String> attrs() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < attrCount; i++) {
            out.put(attrKeys[i], text(attrValues, 2 * i));
        }
        return out;
    }

    /** Appends the field as a RowBinary String (absent: empty), as {@link RowBinary#string(String)} would. */
    void writeString(Field f, RowBinary out) {
        write(ranges, 2 * f.ordinal(), out);
    }

    /** Appends the attrs as {@link ColumnType#ATTRS} in dialect {@code d}. */
    void writeAttrs(RowBinary out, Dialect d) {
        out.varint(attrCount);
        for (int i = 0; i < attrCount; i++) {
            out.string(attrKeys[i]);
            if (d == Dialect.CURRENT) {
                write(attrValues, 2 * i, out);
            }
        }
        if (d == Dialect.LEGACY) {
            out.varint(attrCount);
            for (int i = 0; i < attrCount; i++) {
                write(attrValues, 2 * i, out);
            }
        }
    }

    private void write(int[] from, int at, RowBinary out) {
        int pos = from[at];
        if (pos == ABSENT) {
            out.varint(0);
        } else {
            out.string(bytes(pos), offset(pos), from[at + 1]);
        }
    }

    private String text(int[] from, int at) {
        int pos = from[at];
        return pos == ABSENT ? null : new String(bytes(pos), offset(pos), from[at + 1], StandardCharsets.UTF_8);
    }

    private byte[] bytes(int pos) {
        return pos > 0 ? src : side;
    }

    private static int offset(int pos) {
        return pos > 0 ? pos - 1 : -1 - pos;
    }
}
