package io.tagpipe.sink;

import java.nio.charset.StandardCharsets;

/**
 * Reads a {@link RawEnvelope} from records in the strict subset of JSON the collectors and the
 * processor write: one object of known fields whose values are strings without escapes
 * (well-formed UTF-8), numbers, null, and an attrs object of such strings. Anything else — an
 * escape, a byte-order mark, true/false, an array, an unknown field, a number this reader does not
 * convert exactly — returns null, and the record goes to {@link RawParser} (Jackson) and, if that
 * declines too, to the codec. So the scanner never decides what a record means that the codec
 * would read differently; {@code RawEnvelopeTest} compares the two on hand-written and mutated
 * records. It exists because Jackson's per-record parser setup and field-name handling were most
 * of the remaining decode time; strings are scanned with a table, as Jackson does.
 */
final class RawScanner extends JsonCursor {
    /** Bytes that stand for themselves in a JSON string: ASCII from the space on, but the quote and the backslash. */
    private static final boolean[] PLAIN = new boolean[256];
    /** Longer attrs keys are left to the parser's own limits (its StreamReadConstraints). */
    private static final int MAX_KEY = 1_000;
    private static final int V = -1;
    private static final int TS = -2;
    private static final int VALUE = -3;
    private static final int SAMPLE_RATE = -4;
    private static final int RETENTION_DAYS = -5;
    private static final int ATTRS = -6;
    private static final String[] SPECIAL = {"v", "ts", "value", "sample_rate", "retention_days", "attrs"};
    private static final RawEnvelope.Field[] FIELD_VALUES = RawEnvelope.Field.values();
    private static final int FIELDS = FIELD_VALUES.length;
    private static final byte[][] NAMES = new byte[FIELDS + SPECIAL.length][];
    private static final int[] NAME_KEYS = new int[NAMES.length];

    static {
        for (int c = 0x20; c < 0x80; c++) {
            PLAIN[c] = c != '"' && c != '\\';
        }
        RawEnvelope.Field[] fields = RawEnvelope.Field.values();
        for (RawEnvelope.Field f : fields) {
            NAMES[f.ordinal()] = f.json.getBytes(StandardCharsets.US_ASCII);
        }
        for (int i = 0; i < SPECIAL.length; i++) {
            NAMES[fields.length + i] = SPECIAL[i].getBytes(StandardCharsets.US_ASCII);
        }
        for (int n = 0; n < NAMES.length; n++) {
            NAME_KEYS[n] = nameKey(NAMES[n], 0, NAMES[n].length);
            for (int m = 0; m < n; m++) {
                if (NAME_KEYS[m] == NAME_KEYS[n]) {
                    throw new IllegalStateException("two field names share a key: " + n + ", " + m);
                }
            }
        }
    }

    private final RawEnvelope e;
    // the last number read
    private final JsonNumber number = new JsonNumber();

    private RawScanner(byte[] b) {
        this.b = b;
        this.e = new RawEnvelope(b);
    }

    /** The record, or null when it is not in the subset (before {@link RawEnvelope}'s own checks). */
    static RawEnvelope scan(byte[] bytes) {
        RawScanner s = new RawScanner(bytes);
        return s.object() ? s.e : null;
    }

    private boolean object() {
        ws();
        if (!take('{')) {
            return false;
        }
        ws();
        if (at() == '}') {
            i++;
        } else {
            do {
                ws();
                if (!member()) {
                    return false;
                }
                ws();
            } while (take(','));
            if (!take('}')) {
                return false;
            }
        }
        ws();
        return i == b.length;
    }

    private boolean member() {
        int name = name();
        if (name == Integer.MIN_VALUE) {
            return false;
        }
        ws();
        if (!take(':')) {
            return false;
        }
        ws();
        if (name >= 0) { // a string field
            return string(FIELD_VALUES[name]);
        }
        if (name == ATTRS) {
            return attrs();
        }
        boolean isNull = literalNull();
        if (!isNull) {
            i = number.read(b, i);
            if (i < 0) {
                return false;
            }
        }
        double doubleValue = number.doubleValue();
        switch (name) {
            case V -> {
                if (isNull) {
                    return false;
                }
                e.version((int) doubleValue);
            }
            case TS -> {
                if (isNull || !number.isInt()) {
                    return false;
                }
                e.ts(number.longValue());
            }
            case VALUE -> e.value(isNull ? Double.NaN : doubleValue);
            case SAMPLE_RATE -> e.sampleRate(isNull ? Double.NaN : doubleValue);
            default -> e.retentionDays(isNull ? 0 : (int) doubleValue);
        }
        return true;
    }

    /** A field name: a {@link RawEnvelope.Field} ordinal, a negative code, or MIN_VALUE (unknown, not plain). */
    private int name() {
        long q = quoted();
        if (q < 0) {
            return Integer.MIN_VALUE;
        }
        int start = start(q);
        int end = start + length(q);
        int key = nameKey(b, start, end);
        for (int n = 0; n < NAMES.length; n++) {
            if (NAME_KEYS[n] == key && sameBytes(NAMES[n], start)) {
                return n < FIELDS ? n : -1 - (n - FIELDS);
            }
        }
        return Integer.MIN_VALUE;
    }

    /** Length, first and last byte: different for every known name, so one comparison confirms a match. */
    private static int nameKey(byte[] bytes, int start, int end) {
        return end == start ? 0 : (end - start) << 16 | (bytes[start] & 0xFF) << 8 | (bytes[end - 1] & 0xFF);
    }

    private boolean sameBytes(byte[] name, int start) {
        for (int k = 0; k < name.length; k++) {
            if (b[start + k] != name[k]) {
                return false;
            }
        }
        return true;
    }

    private boolean string(RawEnvelope.Field f) {
        if (literalNull()) {
            e.string(f, RawEnvelope.ABSENT, 0);
            return true;
        }
        long q = quoted();
        if (q < 0) {
            return false;
        }
        e.string(f, RawEnvelope.inRecord(start(q)), length(q));
        return true;
    }

    /** A quoted string from here, as (start, length) in one long; -1 when there is none or it is not plain. */
    private long quoted() {
        if (!take('"')) {
            return -1;
        }
        int start = i;
        int end = stringEnd();
        if (end < 0) {
            return -1;
        }
        i = end + 1;
        return (long) start << 32 | (end - start);
    }

    private static int start(long quoted) {
        return (int) (quoted >>> 32);
    }

    private static int length(long quoted) {
        return (int) quoted;
    }

    private boolean attrs() {
        if (literalNull()) {
            return true;
        }
        if (!take('{') || !e.beginAttrs()) {
            return false;
        }
        ws();
        if (take('}')) {
            return true;
        }
        do {
            ws();
            long key = quoted();
            if (key < 0 || length(key) > MAX_KEY) {
                return false;
            }
            ws();
            if (!take(':')) {
                return false;
            }
            ws();
            int value = RawEnvelope.ABSENT;
            int valueLen = 0;
            if (!literalNull()) {
                long q = quoted();
                if (q < 0) {
                    return false;
                }
                value = RawEnvelope.inRecord(start(q));
                valueLen = length(q);
            }
            if (!e.attr(RawEnvelope.inRecord(start(key)), length(key), value, valueLen)) {
                return false;
            }
            ws();
        } while (take(','));
        return take('}');
    }

    /**
     * From just after an opening quote: the index of the closing quote, or -1 when the string has an
     * escape, a control character, or bytes that are not well-formed UTF-8 (or does not end).
     */
    private int stringEnd() {
        byte[] b = this.b;
        int n = b.length;
        int p = i;
        while (true) {
            while (p < n && PLAIN[b[p] & 0xFF]) {
                p++;
            }
            if (p >= n) {
                return -1;
            }
            int c = b[p] & 0xFF;
            if (c == '"') {
                return p;
            }
            if (c < 0x80) {
                return -1; // a backslash or a control character
            }
            p = utf8End(p);
            if (p < 0) {
                return -1;
            }
        }
    }

    /** After the well-formed UTF-8 sequence starting at {@code p} (RFC 3629), or -1. */
    private int utf8End(int p) {
        int c = b[p] & 0xFF;
        int more;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            if (c == 0xE0) {
                lo = 0xA0;
            } else if (c == 0xED) {
                hi = 0x9F; // no surrogates
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            if (c == 0xF0) {
                lo = 0x90;
            } else if (c == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return -1;
        }
        if (p + more >= b.length) {
            return -1;
        }
        int c1 = b[p + 1] & 0xFF;
        if (c1 < lo || c1 > hi) {
            return -1;
        }
        for (int k = 2; k <= more; k++) {
            int ck = b[p + k] & 0xFF;
            if (ck < 0x80 || ck > 0xBF) {
                return -1;
            }
        }
        return p + more + 1;
    }

    private boolean literalNull() {
        if (i + 4 <= b.length && b[i] == 'n' && b[i + 1] == 'u' && b[i + 2] == 'l' && b[i + 3] == 'l') {
            i += 4;
            return true;
        }
        return false;
    }

    /** JSON whitespace. */
    private void ws() {
        while (i < b.length) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            i++;
        }
    }
}
