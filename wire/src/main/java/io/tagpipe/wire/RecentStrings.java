package io.tagpipe.wire;

import java.nio.charset.StandardCharsets;

/**
 * Strings seen lately, found by their ASCII bytes: a record's app label is one of a few, and one
 * shared string per label saves the processor a new string, its hash and a full compare in every
 * per-app map lookup. Direct-mapped; shared by threads without locks (a slot holds an immutable
 * string; a lost race only makes one again).
 */
final class RecentStrings {
    private static final int MAX_LENGTH = 64;
    private final String[] slots = new String[256];

    /** The string of {@code b[off, off + len)}, which must be well-formed UTF-8. */
    String get(byte[] b, int off, int len) {
        if (len > MAX_LENGTH) {
            return new String(b, off, len, StandardCharsets.UTF_8);
        }
        int h = 0;
        for (int k = off; k < off + len; k++) {
            h = 31 * h + b[k];
        }
        int slot = (h ^ (h >>> 8)) & (slots.length - 1);
        String s = slots[slot];
        if (s != null && sameAscii(s, b, off, len)) {
            return s;
        }
        s = new String(b, off, len, StandardCharsets.UTF_8);
        slots[slot] = s;
        return s;
    }

    /** True when {@code s} is exactly these bytes as ASCII (a non-ASCII byte never matches: a new string is made). */
    private static boolean sameAscii(String s, byte[] b, int off, int len) {
        if (s.length() != len) {
            return false;
        }
        for (int k = 0; k < len; k++) {
            if (b[off + k] < 0 || s.charAt(k) != b[off + k]) {
                return false;
            }
        }
        return true;
    }
}
