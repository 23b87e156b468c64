package io.tagpipe.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** ASCII words, each found with one probe by its length and first byte (no two words share both). */
final class AsciiWords {
    private static final int MAX_LENGTH = 16;
    private final byte[][] words;
    private final int[][] byLengthAndFirst = new int[MAX_LENGTH][128];

    AsciiWords(String... words) {
        this.words = new byte[words.length][];
        for (int[] row : byLengthAndFirst) {
            Arrays.fill(row, -1);
        }
        for (int k = 0; k < words.length; k++) {
            byte[] w = words[k].getBytes(StandardCharsets.US_ASCII);
            if (byLengthAndFirst[w.length][w[0]] >= 0) {
                throw new IllegalArgumentException("two words of one length and first letter: " + words[k]);
            }
            this.words[k] = w;
            byLengthAndFirst[w.length][w[0]] = k;
        }
    }

    /** The index of the word at {@code b[off, off + len)}, or -1. */
    int find(byte[] b, int off, int len) {
        if (len <= 0 || len >= MAX_LENGTH || b[off] < 0) {
            return -1;
        }
        int k = byLengthAndFirst[len][b[off]];
        if (k < 0) {
            return -1;
        }
        byte[] w = words[k];
        for (int m = 1; m < len; m++) {
            if (b[off + m] != w[m]) {
                return -1;
            }
        }
        return k;
    }
}
