package io.tagpipe.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * ASCII words, each found with one probe: a multiplicative hash of its first eight bytes (read as one
 * little-endian long, zero past the word's end) and its length picks the one slot it may be in.
 */
final class AsciiWords {
    private static final int MAX_LENGTH = 32;
    private final byte[][] words;
    /** Per slot: the word's first eight bytes as a key, its length and index; index -1 for an empty slot. */
    private final long[] keys;
    private final int[] lengths;
    private final int[] index;
    private final int shift;

    AsciiWords(String... words) {
        this.words = new byte[words.length][];
        for (int k = 0; k < words.length; k++) {
            byte[] w = words[k].getBytes(StandardCharsets.US_ASCII);
            if (w.length == 0 || w.length > MAX_LENGTH) {
                throw new IllegalArgumentException("a word of 1-" + MAX_LENGTH + " ASCII bytes: " + words[k]);
            }
            this.words[k] = w;
        }
        for (int bits = 4; bits <= 16; bits++) {
            int size = 1 << bits;
            long[] keys = new long[size];
            int[] lengths = new int[size];
            int[] index = new int[size];
            Arrays.fill(index, -1);
            boolean distinct = true;
            for (int k = 0; k < words.length && distinct; k++) {
                byte[] w = this.words[k];
                long key = key(w, 0, w.length);
                int slot = slot(key, w.length, 64 - bits);
                distinct = index[slot] < 0;
                keys[slot] = key;
                lengths[slot] = w.length;
                index[slot] = k;
            }
            if (distinct) {
                this.keys = keys;
                this.lengths = lengths;
                this.index = index;
                this.shift = 64 - bits;
                return;
            }
        }
        throw new IllegalArgumentException("no table of at most 2^16 slots holds these words apart");
    }

    /** The index of the word at {@code b[off, off + len)}, or -1. */
    int find(byte[] b, int off, int len) {
        if (len <= 0 || len > MAX_LENGTH) {
            return -1;
        }
        long key = off + 8 <= b.length ? JsonStrings.word(b, off) & mask(len) : key(b, off, len);
        int k = find(key, len);
        if (k < 0 || len <= 8) {
            return k;
        }
        byte[] w = words[k];
        for (int m = 8; m < len; m++) {
            if (b[off + m] != w[m]) {
                return -1;
            }
        }
        return k;
    }

    /**
     * The index of the word of {@code len} ≤ 8 bytes whose bytes, little-endian and zero past its end,
     * are {@code key}; or -1.
     */
    int find(long key, int len) {
        int slot = slot(key, len, shift);
        return keys[slot] == key && lengths[slot] == len ? index[slot] : -1;
    }

    /** The low {@code len} bytes of a little-endian long (all eight from 8 on). */
    static long mask(int len) {
        return len >= 8 ? -1L : (1L << (len << 3)) - 1;
    }

    /** The first eight bytes of {@code b[off, off + len)} as a little-endian long, zero past the end. */
    private static long key(byte[] b, int off, int len) {
        long key = 0;
        for (int m = Math.min(len, 8) - 1; m >= 0; m--) {
            key = key << 8 | (b[off + m] & 0xff);
        }
        return key;
    }

    private static int slot(long key, int len, int shift) {
        return (int) (((key + len) * 0x9E3779B97F4A7C15L) >>> shift);
    }
}
