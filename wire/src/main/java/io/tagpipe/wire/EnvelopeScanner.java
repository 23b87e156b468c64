package io.tagpipe.wire;

import java.nio.charset.StandardCharsets;

/**
 * The fast path of {@link EnvelopeCodec#read}: one pass over the bytes, no tokens, no strings but
 * the five a router needs. It is strict, never lenient: it accepts only RFC 8259 JSON in valid
 * UTF-8 (no overlong forms, no surrogates), without a byte-order mark, nested at most
 * {@value #MAX_DEPTH} deep, in the shapes collectors write. Anything else — escapes in a field the
 * router reads or in a field name, policy fields, numbers written as strings, a value of an
 * unexpected type, any syntax error — it hands to Jackson ({@link #scan} returns {@code null}), so
 * every unreadable record gets Jackson's reason and message, and every record it accepts, Jackson
 * accepts and reads the same (proven by a differential fuzz test). Single use, not thread-safe.
 */
final class EnvelopeScanner {
    static final int MAX_DEPTH = 32;
    /** Well under Jackson's limits on names, numbers and strings: longer tokens go to Jackson. */
    private static final int MAX_NAME = 256;
    private static final int MAX_NUMBER = 64;
    /** Exponents beyond a double's range make copying a nested number a BigDecimal question: Jackson's. */
    private static final int MAX_EXPONENT = 3;
    private static final int MAX_RECORD = 10_000_000;

    private static final int UNKNOWN = -1, ID = 0, APP = 1, KIND = 2, TS = 3, LEVEL = 4, TRACE = 5, VERSION = 6,
            VALUE = 7, ATTRS = 8, POLICY = 9, SCALAR = 10;
    /** Field names, and what each is. */
    private static final AsciiWords NAMES = new AsciiWords("id", "app", "kind", "ts", "level", "trace_id", "v", "value", "attrs",
            "sample_rate", "retention_days", "importance",
            "app_source", "host", "logger", "thread", "message", "exception", "name", "unit", "type", "span_id");
    private static final int[] CODES = {ID, APP, KIND, TS, LEVEL, TRACE, VERSION, VALUE, ATTRS, POLICY, POLICY, POLICY,
        SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, SCALAR};
    /** Spellings of kind and level that need no new string. */
    private static final String[] CONSTANTS = {Envelope.KIND_LOG, Envelope.KIND_METRIC, "TRACE", "DEBUG", "INFO",
        "WARN", "ERROR", "FATAL", "WARNING", "CRITICAL", "trace", "debug", "info", "warn", "error", "fatal", "warning",
        "critical"};
    private static final AsciiWords CONSTANT_WORDS = new AsciiWords(CONSTANTS);

    /** Thrown to hand the record to Jackson; one instance, no stack trace. */
    private static final class Unsure extends RuntimeException {
        Unsure() {
            super(null, null, false, false);
        }
    }

    private static final Unsure UNSURE = new Unsure();

    private final byte[] b;
    private final RecentStrings apps;
    private int i;
    private boolean escaped; // the last string read had a backslash escape

    private EnvelopeScanner(byte[] bytes, RecentStrings apps) {
        this.b = bytes;
        this.apps = apps;
    }

    /**
     * The record's fields as {@link EnvelopeCodec} reads them, or {@code null}: let Jackson judge it.
     *
     * @param apps app labels seen lately, reused instead of a new string per record
     */
    static EnvelopeCodec.Fields scan(byte[] bytes, RecentStrings apps) {
        if (bytes.length > MAX_RECORD) {
            return null;
        }
        try {
            return new EnvelopeScanner(bytes, apps).record();
        } catch (Unsure u) {
            return null;
        }
    }

    private EnvelopeCodec.Fields record() {
        EnvelopeCodec.Fields f = new EnvelopeCodec.Fields(false);
        skipWs();
        expect('{');
        skipWs();
        int c = peek();
        if (c == '"') {
            do {
                skipWs();
                expect('"');
                int start = i;
                int end = string();
                if (escaped || end - start > MAX_NAME) {
                    throw UNSURE;
                }
                skipWs();
                expect(':');
                skipWs();
                field(f, codeOf(start, end - start));
                skipWs();
                c = next();
            } while (c == ',');
        } else {
            c = next();
        }
        if (c != '}') {
            throw UNSURE;
        }
        f.spliceAt = i - 1;
        skipWs();
        if (i != b.length) {
            throw UNSURE;
        }
        return f;
    }

    private void field(EnvelopeCodec.Fields f, int code) {
        switch (code) {
            case ID -> f.id = text(false);
            case APP -> f.app = appLabel();
            case KIND -> f.kind = text(true);
            case LEVEL -> f.level = text(true);
            case TRACE -> f.traceId = text(false);
            case TS -> f.ts = integer(18);
            case VERSION -> f.v = (int) integer(9);
            case VALUE -> {
                if (peek() == 'n') {
                    literal("null");
                } else {
                    number();
                }
            }
            case ATTRS -> {
                if (peek() == '{') {
                    skipValue(1);
                } else {
                    literal("null");
                }
            }
            case SCALAR -> {
                int c = peek();
                if (c == '{' || c == '[') {
                    throw UNSURE;
                }
                skipValue(1);
            }
            case POLICY -> throw UNSURE; // the splice must not duplicate them: Jackson's path re-encodes
            default -> skipValue(1);
        }
    }

    private int codeOf(int off, int len) {
        int k = NAMES.find(b, off, len);
        return k < 0 ? UNKNOWN : CODES[k];
    }

    /**
     * A string without escapes, or null; anything else is Jackson's to read. With {@code constants},
     * a common spelling of a kind or level comes back as a shared constant, without a new string.
     */
    private String text(boolean constants) {
        if (peek() != '"') {
            literal("null");
            return null;
        }
        int start = ++i;
        int len = string() - start;
        if (escaped) {
            throw UNSURE;
        }
        if (constants) {
            int k = CONSTANT_WORDS.find(b, start, len);
            if (k >= 0) {
                return CONSTANTS[k];
            }
        }
        return new String(b, start, len, StandardCharsets.UTF_8);
    }

    private String appLabel() {
        if (peek() != '"') {
            return text(false);
        }
        int start = ++i;
        int len = string() - start;
        if (escaped) {
            throw UNSURE;
        }
        return apps.get(b, start, len);
    }

    /** An integer literal of at most {@code maxDigits} digits (no fraction, no exponent). */
    private long integer(int maxDigits) {
        int start = i;
        boolean negative = peek() == '-';
        if (number()) {
            throw UNSURE;
        }
        int from = negative ? start + 1 : start;
        if (i - from > maxDigits) {
            throw UNSURE;
        }
        long value = 0;
        for (int k = from; k < i; k++) {
            value = value * 10 + (b[k] - '0');
        }
        return negative ? -value : value;
    }

    /** Skips one JSON number; true when it has a fraction or an exponent. */
    private boolean number() {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        int c = peek();
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            digits();
        } else {
            throw UNSURE;
        }
        boolean real = false;
        if (i < b.length && b[i] == '.') {
            i++;
            requireDigit();
            digits();
            real = true;
        }
        if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < b.length && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            requireDigit();
            int from = i;
            digits();
            if (i - from > MAX_EXPONENT) {
                throw UNSURE;
            }
            real = true;
        }
        if (i - start > MAX_NUMBER) {
            throw UNSURE;
        }
        return real;
    }

    private void requireDigit() {
        int c = peek();
        if (c < '0' || c > '9') {
            throw UNSURE;
        }
    }

    private void digits() {
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
    }

    private void skipValue(int depth) {
        int c = peek();
        switch (c) {
            case '"' -> {
                i++;
                string();
            }
            case '{', '[' -> container(depth + 1, c == '{' ? '}' : ']');
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void container(int depth, int close) {
        if (depth > MAX_DEPTH) {
            throw UNSURE;
        }
        i++;
        skipWs();
        if (peek() == close) {
            i++;
            return;
        }
        int c;
        do {
            skipWs();
            if (close == '}') {
                expect('"');
                int start = i;
                if (string() - start > MAX_NAME) {
                    throw UNSURE;
                }
                skipWs();
                expect(':');
                skipWs();
            }
            skipValue(depth);
            skipWs();
            c = next();
        } while (c == ',');
        if (c != close) {
            throw UNSURE;
        }
    }

    private void literal(String word) {
        int len = word.length();
        if (i + len > b.length) {
            throw UNSURE;
        }
        for (int k = 0; k < len; k++) {
            if (b[i + k] != word.charAt(k)) {
                throw UNSURE;
            }
        }
        i += len; // what follows must be a separator: the caller's next expect() checks it
    }

    /**
     * Skips a string's content, {@code i} just after its opening quote; returns the index of its
     * closing quote and leaves {@code i} after it ({@link JsonStrings#skip}).
     */
    private int string() {
        long r = JsonStrings.skip(b, i);
        if (r < 0) {
            throw UNSURE;
        }
        int end = (int) r;
        escaped = (r & JsonStrings.ESCAPED) != 0;
        i = end + 1;
        return end;
    }

    private void skipWs() {
        while (i < b.length) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            i++;
        }
    }

    private int peek() {
        if (i >= b.length) {
            throw UNSURE;
        }
        return b[i];
    }

    private int next() {
        int c = peek();
        i++;
        return c;
    }

    private void expect(int c) {
        if (next() != c) {
            throw UNSURE;
        }
    }
}
