package io.tagpipe.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.base.ParserBase;

import io.tagpipe.wire.EnvelopeScan;

/**
 * Reads a {@link RawEnvelope} with Jackson's parser: the records {@link io.tagpipe.wire.EnvelopeScanner} leaves to it (strings
 * with escapes). A string of plain ASCII is found by scanning the record up to its closing quote,
 * and the parser then skips it without decoding it (it still rejects control characters there);
 * any other string is decoded by the parser and re-encoded as {@link String#getBytes} does.
 */
final class RawParser {
    /** Doubles (sample rates, values) with the parser's correctly rounded fast path: the same value as the JDK's. */
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    private final RawEnvelope e;
    private final byte[] src;

    private RawParser(byte[] src) {
        this.src = src;
        this.e = new RawEnvelope(src);
    }

    /** The record, or null when it is not plain (before {@link RawEnvelope}'s own checks). */
    static RawEnvelope parse(byte[] bytes) {
        RawParser r = new RawParser(bytes);
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (!r.field(name, p)) {
                    return null;
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
        } catch (IOException | RuntimeException ex) {
            return null; // the codec reports it
        }
        return r.e;
    }

    /** Reads one top-level field; false when it is not plain. */
    private boolean field(String name, JsonParser p) throws IOException {
        EnvelopeScan.Field f = EnvelopeScan.Field.of(name);
        if (f != null && f.isString()) {
            long s = string(p);
            if (s == NOT_A_STRING) {
                return false;
            }
            e.string(f, (int) (s >> 32), (int) s);
            return true;
        }
        JsonToken t = p.currentToken();
        boolean isNull = t == JsonToken.VALUE_NULL;
        switch (name) {
            case "v" -> {
                if (!t.isNumeric()) {
                    return false;
                }
                e.version((int) p.getDoubleValue()); // as the codec reads it
            }
            case "ts" -> {
                if (t != JsonToken.VALUE_NUMBER_INT) {
                    return false;
                }
                e.ts(p.getLongValue());
            }
            case "value", "sample_rate", "retention_days" -> {
                if (!isNull && !t.isNumeric()) {
                    return false;
                }
                double d = isNull ? Double.NaN : p.getDoubleValue();
                switch (name) {
                    case "value" -> e.value(d);
                    case "sample_rate" -> e.sampleRate(d);
                    default -> e.retentionDays(isNull ? 0 : (int) d);
                }
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
        if (p.currentToken() != JsonToken.START_OBJECT || !e.beginAttrs()) {
            return false;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            byte[] key = p.currentName().getBytes(StandardCharsets.UTF_8);
            int keyPos = e.inSide(key);
            p.nextToken();
            long v = string(p);
            if (v == NOT_A_STRING || !e.attr(keyPos, key.length, (int) (v >> 32), (int) v)) {
                return false;
            }
        }
        return true;
    }

    private static final long NOT_A_STRING = Long.MIN_VALUE;

    /** The current token's string as (position, length) packed in a long, ({@link RawEnvelope#ABSENT}, 0) for null. */
    private long string(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return (long) RawEnvelope.ABSENT << 32;
        }
        if (t != JsonToken.VALUE_STRING) {
            return NOT_A_STRING;
        }
        int start = (int) ((ParserBase) p).getTokenCharacterOffset(); // a field's value: after its opening quote
        int end = plainAsciiEnd(start);
        if (end >= 0) {
            return pack(RawEnvelope.inRecord(start), end - start);
        }
        byte[] utf8 = p.getText().getBytes(StandardCharsets.UTF_8);
        return pack(e.inSide(utf8), utf8.length);
    }

    private static long pack(int pos, int len) {
        return (long) pos << 32 | (len & 0xFFFF_FFFFL);
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
}
