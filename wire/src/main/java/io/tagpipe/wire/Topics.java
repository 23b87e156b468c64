package io.tagpipe.wire;

/** Topic names shared by the collector, the processor and the sink. */
public final class Topics {
    /** Raw records from applications; key = app label, value = {@link Envelope} JSON. */
    public static final String RECORDS = "tagpipe.records";
    /** Records the processor kept (enriched with sample rate, retention, importance). */
    public static final String KEPT = "tagpipe.kept";
    /** Compacted: key = app label ({@value #DEFAULT_POLICY_KEY} = default), value = policy JSON. */
    public static final String POLICIES = "tagpipe.policies";
    /** Counts of what was dropped or kept, per app, kind, level, reason and minute. */
    public static final String STATS = "tagpipe.stats";
    /** What could not be read or written, original bytes as value, reason in headers. */
    public static final String DLQ = "tagpipe.dlq";
    /** Compacted: the database pressure level the sink measures and the processors shed by ({@link Pressure}). */
    public static final String PRESSURE = "tagpipe.pressure";
    /** One small entry per record the processor shed (where it lies in {@link #RECORDS}): what {@code tagpipe replay} reads. */
    public static final String SHED = "tagpipe.shed";

    public static final String DEFAULT_POLICY_KEY = "*";

    /** DLQ headers: why, and where the record came from. */
    public static final String DLQ_REASON_HEADER = "tagpipe.dlq.reason";
    public static final String DLQ_SOURCE_TOPIC_HEADER = "tagpipe.dlq.source.topic";
    public static final String DLQ_SOURCE_PARTITION_HEADER = "tagpipe.dlq.source.partition";
    public static final String DLQ_SOURCE_OFFSET_HEADER = "tagpipe.dlq.source.offset";
    /** Set when the DLQ value was cut to its first bytes (too large to forward whole): the original size. */
    public static final String DLQ_ORIGINAL_SIZE_HEADER = "tagpipe.dlq.original.size";

    private static final java.util.regex.Pattern LEGAL = java.util.regex.Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private Topics() {
    }

    /** Kafka's rule for a topic name: 1..249 of {@code [a-zA-Z0-9._-]}, and not {@code .} or {@code ..}. */
    public static boolean isValidName(String name) {
        return name != null && LEGAL.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }
}
