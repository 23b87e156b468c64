package io.tagpipe.wire;

/**
 * A record read by {@link EnvelopeCodec#read}: the fields a router decides on, and the bytes it was
 * read from (so {@link EnvelopeCodec#encodeWithPolicy} can copy them instead of encoding again).
 * {@code app} is the normalised label, as in {@link Envelope#app()}. Not thread-safe.
 */
public final class Decoded {
    private final EnvelopeCodec codec;
    private final String id;
    private final String app;
    private final String kind;
    private final long ts;
    private final String level;
    private final String traceId;
    private final byte[] source;
    private final int objectEnd; // index of the root object's closing brace; -1: encode again instead
    private Envelope envelope;

    Decoded(EnvelopeCodec codec, String id, String app, String kind, long ts, String level, String traceId,
            byte[] source, int objectEnd) {
        this.codec = codec;
        this.id = id;
        this.app = app;
        this.kind = kind;
        this.ts = ts;
        this.level = level;
        this.traceId = traceId;
        this.source = source;
        this.objectEnd = objectEnd;
    }

    public String id() {
        return id;
    }

    public String app() {
        return app;
    }

    public String kind() {
        return kind;
    }

    public long ts() {
        return ts;
    }

    /** The level as sent (not canonicalised), null when absent. */
    public String level() {
        return level;
    }

    public String traceId() {
        return traceId;
    }

    public boolean isMetric() {
        return Envelope.KIND_METRIC.equals(kind);
    }

    /** As {@link Envelope#samplingKey()}: the trace when there is one, else the record. */
    public String samplingKey() {
        return Envelope.samplingKey(traceId, id);
    }

    /** The whole envelope, decoded on first use (the record already passed every check). */
    public Envelope envelope() {
        if (envelope == null) {
            try {
                envelope = codec.decode(source);
            } catch (UnreadableRecordException e) {
                throw new IllegalStateException("read() accepted a record decode() rejects: " + e.getMessage(), e);
            }
        }
        return envelope;
    }

    byte[] source() {
        return source;
    }

    int objectEnd() {
        return objectEnd;
    }
}
