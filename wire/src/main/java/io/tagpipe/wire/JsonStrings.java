package io.tagpipe.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict skipping of a JSON string's content, for {@link EnvelopeScanner}: RFC 8259 escapes only,
 * no control characters, well-formed UTF-8 only (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF). Plain ASCII is passed eight bytes at a time.
 */
final class JsonStrings {
    /** Set in {@link #skip}'s answer when the string had a backslash escape. */
    static final long ESCAPED = 1L << 32;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private JsonStrings() {
    }

    /** The eight bytes at {@code j} as one little-endian long ({@code j + 8 <= b.length}). */
    static long word(byte[] b, int j) {
        return (long) LONGS.get(b, j);
    }

    /**
     * @param from the index just after the opening quote
     * @return the index of the closing quote, with {@link #ESCAPED} set when the string had an
     *         escape; -1 when the content is not strict JSON or the string does not end
     */
    static long skip(byte[] b, int from) {
        final int n = b.length;
        int j = from;
        long escaped = 0;
        while (true) {
            if (j + 8 <= n) {
                long special = special((long) LONGS.get(b, j));
                if (special == 0) {
                    j += 8;
                    continue;
                }
                j += Long.numberOfTrailingZeros(special) >>> 3; // the first byte that needs a look
            } else if (j >= n) {
                return -1;
            }
            int c = b[j];
            if (c >= 0x20 && c != '"' && c != '\\') {
                j++;
            } else if (c == '"') {
                return j | escaped;
            } else if (c == '\\') {
                j = escape(b, j + 1);
                if (j < 0) {
                    return -1;
                }
                escaped = ESCAPED;
            } else if (c < 0) {
                j = multiByte(b, j);
                if (j < 0) {
                    return -1;
                }
            } else {
                return -1; // an unescaped control character
            }
        }
    }

    /**
     * The top bit of each of the eight bytes (little-endian) that needs a look: a quote, a
     * backslash, a control character or a non-ASCII byte; 0 when none does. Per byte lane, a
     * subtraction borrows into the lane's top bit when the lane is below the subtrahend, and a
     * borrow out of a lane only comes from such a lane, so the lowest bit set is the first such
     * byte (lanes above it may be flagged without need).
     */
    static long special(long x) {
        long t = (x - 0x2020202020202020L) | ((x ^ 0x2222222222222222L) - 0x0101010101010101L)
                | ((x ^ 0x5c5c5c5c5c5c5c5cL) - 0x0101010101010101L) | x;
        return t & 0x8080808080808080L;
    }

    /** The escape whose letter is at {@code j}; the index after it, or -1. */
    private static int escape(byte[] b, int j) {
        if (j >= b.length) {
            return -1;
        }
        switch (b[j]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return j + 1;
            }
            case 'u' -> {
                if (j + 4 >= b.length) {
                    return -1;
                }
                for (int k = j + 1; k <= j + 4; k++) {
                    if (Character.digit(b[k], 16) < 0) {
                        return -1;
                    }
                }
                return j + 5;
            }
            default -> {
                return -1;
            }
        }
    }

    /** One well-formed UTF-8 sequence of 2–4 bytes at {@code j} (Unicode table 3-7); the index after it, or -1. */
    private static int multiByte(byte[] b, int j) {
        int lead = b[j] & 0xff;
        int more;
        int lo = 0x80;
        int hi = 0xbf;
        if (lead >= 0xc2 && lead <= 0xdf) {
            more = 1;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            more = 2;
            lo = lead == 0xe0 ? 0xa0 : lo;
            hi = lead == 0xed ? 0x9f : hi;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            more = 3;
            lo = lead == 0xf0 ? 0x90 : lo;
            hi = lead == 0xf4 ? 0x8f : hi;
        } else {
            return -1;
        }
        if (j + more >= b.length) {
            return -1;
        }
        int second = b[j + 1] & 0xff;
        if (second < lo || second > hi) {
            return -1;
        }
        for (int k = j + 2; k <= j + more; k++) {
            if ((b[k] & 0xc0) != 0x80) {
                return -1;
            }
        }
        return j + more + 1;
    }
}
