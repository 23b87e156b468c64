package io.tagpipe.processor;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic sampling: a record is kept iff {@code fraction(samplingKey) < rate}. The key is the
 * trace id when there is one, else the record id, so a trace is kept or dropped as a whole and a
 * rerun decides the same.
 *
 * <p>{@code fraction} = FNV-1a 64-bit over the key's UTF-8 bytes, finished with MurmurHash3's
 * {@code fmix64} (FNV alone mixes the last bytes poorly), top 53 bits / 2^53 — a value in [0, 1).
 * The algorithm is part of the contract (README): tests and other languages predict survivors with it.
 */
public final class Sampling {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Sampling() {
    }

    public static double fraction(String key) {
        long h = FNV_OFFSET;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return (fmix64(h) >>> 11) * 0x1.0p-53;
    }

    public static boolean keep(String key, double rate) {
        if (rate >= 1.0) {
            return true;
        }
        if (rate <= 0.0) {
            return false;
        }
        return fraction(key) < rate;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb3fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
