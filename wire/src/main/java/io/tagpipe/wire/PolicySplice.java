package io.tagpipe.wire;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Appends the processor's policy fields to a record's original JSON bytes. A kept record is its
 * input plus three fields, so copying the input once is far cheaper than decoding every field into
 * strings and writing them all again. The fields are written as {@code EnvelopeCodec.encode}
 * writes them (same order, {@link Double#toString} like Jackson's default), so a record that
 * came from {@code encode} comes out byte-for-byte as {@code encode} would write it kept. Public
 * for the bench's passthrough, which writes the same records out as the processor without reading them.
 */
public final class PolicySplice {
    private static final byte[] SAMPLE_RATE = ",\"sample_rate\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RETENTION = ",\"retention_days\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IMPORTANCE = ",\"importance\":\"".getBytes(StandardCharsets.US_ASCII);

    /** The fields as written, closing brace included; a record, so a slot is read whole or not at all. */
    private record Suffix(double rate, int retention, String importance, byte[] bytes) {
        boolean isFor(double r, int d, String i) {
            return Double.compare(rate, r) == 0 && retention == d && Objects.equals(importance, i);
        }
    }

    /**
     * Recent suffixes: a processor keeps records under a handful of (rate, retention, importance)
     * and formatting the double was most of the splice. Shared by threads without locks: a slot
     * holds an immutable suffix, and a lost race only formats one again.
     */
    private final Suffix[] recent = new Suffix[64];

    /**
     * @param objectEnd index of the root object's closing brace in {@code source}; the object has
     *                  at least one field (a readable envelope has four), so a comma always fits
     */
    public byte[] append(byte[] source, int objectEnd, double rate, int retention, String importance) {
        byte[] suffix = suffix(rate, retention, importance);
        byte[] out = new byte[objectEnd + suffix.length];
        System.arraycopy(source, 0, out, 0, objectEnd);
        System.arraycopy(suffix, 0, out, objectEnd, suffix.length);
        return out;
    }

    private byte[] suffix(double rate, int retention, String importance) {
        int slot = ((Double.hashCode(rate) * 31 + retention) * 31 + Objects.hashCode(importance)) & (recent.length - 1);
        Suffix s = recent[slot];
        if (s == null || !s.isFor(rate, retention, importance)) {
            s = new Suffix(rate, retention, importance, format(rate, retention, importance));
            recent[slot] = s;
        }
        return s.bytes();
    }

    private static byte[] format(double rate, int retention, String importance) {
        byte[] r = Double.toString(rate).getBytes(StandardCharsets.US_ASCII);
        byte[] d = Integer.toString(retention).getBytes(StandardCharsets.US_ASCII);
        byte[] i = importance == null ? null : JsonStringEncoder.getInstance().quoteAsUTF8(importance);
        int len = SAMPLE_RATE.length + r.length + RETENTION.length + d.length
                + (i == null ? 0 : IMPORTANCE.length + i.length + 1) + 1;
        byte[] out = new byte[len];
        int at = put(out, 0, SAMPLE_RATE);
        at = put(out, at, r);
        at = put(out, at, RETENTION);
        at = put(out, at, d);
        if (i != null) {
            at = put(out, at, IMPORTANCE);
            at = put(out, at, i);
            out[at++] = '"';
        }
        out[at] = '}';
        return out;
    }

    private static int put(byte[] out, int at, byte[] part) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }
}
