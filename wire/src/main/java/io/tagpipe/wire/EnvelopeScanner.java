package io.tagpipe.wire;

import java.util.Arrays;

import io.tagpipe.wire.EnvelopeScan.Field;

/**
 * The one reader of records in the shape collectors and the processor write, for the fast paths
 * of the processor ({@link EnvelopeCodec#read}) and the sink: one pass over the bytes, no tokens,
 * no strings, only where each field's value lies ({@link EnvelopeScan}). It is strict, never
 * lenient: it accepts only RFC 8259 JSON in valid UTF-8 (no overlong forms, no surrogates),
 * without a byte-order mark, nested at most {@value #MAX_DEPTH} deep, with envelope fields of the
 * envelope's types (a string field a string, null or another scalar, {@code v} and {@code ts} integers, the other
 * numbers numbers or null, attrs an object or null). Anything else — escapes in a field name, a
 * number written as a string, a value of an unexpected type, a token longer than the limits below,
 * any syntax error — it declines ({@link #scan} returns {@code null}), and the caller hands the
 * record to Jackson, so every unreadable record gets Jackson's reason and message. Every record it
 * accepts, Jackson accepts and reads the same (differential fuzz tests in wire and sink). Escapes
 * inside string values are checked, not decoded: the scan says which strings hold them.
 */
public final class EnvelopeScanner {
    static final int MAX_DEPTH = 32;
    /** Well under Jackson's limits on names, numbers and strings: longer tokens go to Jackson. */
    private static final int MAX_NAME = 256;
    private static final int MAX_NUMBER = 64;
    /** Exponents beyond a double's range make copying a nested number a BigDecimal question: Jackson's. */
    private static final int MAX_EXPONENT = 3;
    /** Longer integers are Jackson's to convert; a version of more digits could wrap into a valid int. */
    private static final int MAX_INTEGER_DIGITS = 18, MAX_VERSION_DIGITS = 9;
    private static final int MAX_RECORD = 10_000_000;

    private static final Field[] FIELDS = Field.values();
    private static final int LAST_STRING = Field.IMPORTANCE.ordinal();
    /** Field names, found by one probe. */
    private static final AsciiWords NAMES = new AsciiWords(Arrays.stream(FIELDS).map(f -> f.json)
            .toArray(String[]::new));
    /** Spellings of kind and level that need no new string. */
    private static final String[] CONSTANTS = {Envelope.KIND_LOG, Envelope.KIND_METRIC, "TRACE", "DEBUG", "INFO",
        "WARN", "ERROR", "FATAL", "WARNING", "CRITICAL", "trace", "debug", "info", "warn", "error", "fatal", "warning",
        "critical"};
    private static final AsciiWords CONSTANT_WORDS = new AsciiWords(CONSTANTS);

    /** Thrown to decline the record; one instance, no stack trace. */
    private static final class Unsure extends RuntimeException {
        Unsure() {
            super(null, null, false, false);
        }
    }

    private static final Unsure UNSURE = new Unsure();

    private final byte[] b;
    private final EnvelopeScan scan;
    private final boolean attrRanges;
    private int i;
    private boolean escaped; // the last string read had a backslash escape

    private EnvelopeScanner(byte[] bytes, boolean attrRanges) {
        this.b = bytes;
        this.scan = new EnvelopeScan(bytes);
        this.attrRanges = attrRanges;
    }

    /**
     * Where the record's fields lie, or {@code null}: the record is not in the subset this scanner
     * judges, let Jackson read it.
     *
     * @param attrRanges record where each attr's key and value lie (the sink copies them; the
     *                   processor only needs them checked)
     */
    public static EnvelopeScan scan(byte[] bytes, boolean attrRanges) {
        if (bytes == null || bytes.length > MAX_RECORD) {
            return null;
        }
        try {
            return new EnvelopeScanner(bytes, attrRanges).record();
        } catch (Unsure u) {
            return null;
        }
    }

    /**
     * The fields a router reads, as {@link EnvelopeCodec#parse} reads them, or {@code null}: escapes
     * in one of them, or policy fields (the splice must not repeat them: Jackson's path re-encodes).
     *
     * @param apps app labels seen lately, reused instead of a new string per record
     */
    static EnvelopeCodec.Fields routerFields(byte[] bytes, RecentStrings apps) {
        EnvelopeScan s = scan(bytes, false);
        if (s == null || s.hasPolicyFields() || !readable(s, Field.ID) || !readable(s, Field.APP)
                || !readable(s, Field.KIND) || !readable(s, Field.LEVEL) || !readable(s, Field.TRACE_ID)) {
            return null;
        }
        EnvelopeCodec.Fields f = new EnvelopeCodec.Fields(false);
        f.id = s.text(Field.ID);
        f.app = s.type(Field.APP) == EnvelopeScan.STRING ? apps.get(bytes, s.start(Field.APP), s.length(Field.APP)) : null;
        f.kind = constant(s, Field.KIND);
        f.level = constant(s, Field.LEVEL);
        f.traceId = s.text(Field.TRACE_ID);
        if (s.type(Field.TS) != EnvelopeScan.ABSENT) {
            f.ts = s.integer(Field.TS);
        }
        if (s.type(Field.V) != EnvelopeScan.ABSENT) {
            f.v = (int) s.integer(Field.V);
        }
        f.spliceAt = s.objectEnd();
        return f;
    }

    /** A string without escapes, null or absent: what a router field is read from without Jackson. */
    private static boolean readable(EnvelopeScan s, Field f) {
        byte t = s.type(f);
        return t == EnvelopeScan.STRING || t == EnvelopeScan.NULL || t == EnvelopeScan.ABSENT;
    }

    /** A common spelling of a kind or level as a shared constant, without a new string; else its text. */
    private static String constant(EnvelopeScan s, Field f) {
        if (s.type(f) == EnvelopeScan.STRING) {
            int k = CONSTANT_WORDS.find(s.source(), s.start(f), s.length(f));
            if (k >= 0) {
                return CONSTANTS[k];
            }
        }
        return s.text(f);
    }

    private EnvelopeScan record() {
        expect('{');
        skipWs();
        int c = peek();
        if (c == '"') {
            do {
                expect('"');
                int k = name();
                expect(':');
                skipWs();
                if (k >= 0 && k <= LAST_STRING && i < b.length && b[i] == '"') {
                    // the usual field, a string, read here as field() reads it: a method shared by both
                    // made the scan ~60 ns (a fifth) slower per record (ScanBench), C2 did not inline it
                    int start = ++i;
                    int end = string();
                    scan.set(k, escaped ? EnvelopeScan.ESCAPED_STRING : EnvelopeScan.STRING, start, end - start);
                } else if (k < 0) {
                    scan.unknownFields = true;
                    skipValue(1);
                } else {
                    field(k);
                }
                c = nextToken();
            } while (c == ',');
        } else {
            c = next();
        }
        if (c != '}') {
            throw UNSURE;
        }
        scan.objectEnd = i - 1;
        skipWs();
        if (i != b.length) {
            throw UNSURE;
        }
        return scan;
    }

    /**
     * A field name from just after its opening quote to just after its closing one: the field's index,
     * or -1 for a name that is none. A name of up to seven plain ASCII bytes is read and looked up
     * as one long; any other goes the way of every string.
     */
    private int name() {
        if (i + 8 <= b.length) {
            long x = JsonStrings.word(b, i);
            int p = Long.numberOfTrailingZeros(JsonStrings.special(x)) >>> 3; // 8 when all eight are plain
            if (p < 8 && (byte) (x >>> (p << 3)) == '"') {
                i += p + 1;
                return NAMES.find(x & AsciiWords.mask(p), p);
            }
        }
        int start = i;
        int end = string();
        if (escaped || end - start > MAX_NAME) {
            throw UNSURE;
        }
        return NAMES.find(b, start, end - start);
    }

    private void field(int k) {
        Field f = FIELDS[k];
        int c = peek();
        if (c == 'n' && f != Field.V && f != Field.TS) {
            literal("null");
            scan.set(k, EnvelopeScan.NULL, 0, 0);
        } else if (f.isString()) {
            if (c == '"') {
                int start = ++i;
                int end = string();
                scan.set(k, escaped ? EnvelopeScan.ESCAPED_STRING : EnvelopeScan.STRING, start, end - start);
            } else if (c == '{' || c == '[') {
                throw UNSURE; // bad_field: Jackson's message
            } else {
                int start = i;
                skipValue(1);
                scan.set(k, EnvelopeScan.OTHER_SCALAR, start, i - start);
            }
        } else if (f == Field.ATTRS) {
            if (c != '{') {
                throw UNSURE;
            }
            int start = i;
            scan.attrObjects++;
            attrs();
            scan.set(k, EnvelopeScan.OBJECT, start, i - start);
        } else {
            int start = i;
            boolean decimal = number();
            int digits = i - start - (c == '-' ? 1 : 0);
            if (decimal ? f == Field.V || f == Field.TS
                    : digits > (f == Field.V ? MAX_VERSION_DIGITS : MAX_INTEGER_DIGITS)) {
                throw UNSURE;
            }
            scan.set(k, decimal ? EnvelopeScan.DECIMAL : EnvelopeScan.INTEGER, start, i - start);
        }
    }

    /** The attrs object from its opening brace; each member's ranges when asked for and plain. */
    private void attrs() {
        i++;
        skipWs();
        if (peek() == '}') {
            i++;
            return;
        }
        int c;
        do {
            expect('"');
            int keyStart = i;
            int keyLength = string() - keyStart;
            boolean plainKey = !escaped;
            if (keyLength > MAX_NAME) {
                throw UNSURE;
            }
            expect(':');
            skipWs();
            c = peek();
            if (c == '"') {
                int start = ++i;
                int end = string();
                addAttr(plainKey && !escaped, keyStart, keyLength, start, end - start);
            } else if (c == 'n') {
                literal("null");
                addAttr(plainKey, keyStart, keyLength, -1, 0);
            } else {
                scan.attrsPlain = false;
                skipValue(2);
            }
            c = nextToken();
        } while (c == ',');
        if (c != '}') {
            throw UNSURE;
        }
    }

    private void addAttr(boolean plain, int keyStart, int keyLength, int valueStart, int valueLength) {
        if (!plain) {
            scan.attrsPlain = false;
        } else if (attrRanges) {
            scan.attr(keyStart, keyLength, valueStart, valueLength);
        }
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
                expect(':');
                skipWs();
            }
            skipValue(depth);
            c = nextToken();
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
            if ((c & 0xff) > ' ' || c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return; // one comparison for the usual case: no whitespace at all
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

    /** Skips whitespace, then {@code c} or declines. */
    private void expect(int c) {
        if (i < b.length && b[i] == c) {
            i++; // the usual case: no whitespace before it
            return;
        }
        skipWs();
        if (next() != c) {
            throw UNSURE;
        }
    }

    /** Skips whitespace, then the next byte. */
    private int nextToken() {
        skipWs();
        return next();
    }
}
