package io.tagpipe.sink.pressure;

/**
 * The consumer thread's view of the backlog age: the Kafka timestamp of the oldest record in the
 * batch being filled and in the batch in flight, reported to the {@link InsertRecorder} after each
 * change. A failed delivery keeps both (they will be read again) until their rows are acknowledged,
 * so the age keeps growing while ClickHouse is down. Used by the consumer thread only.
 */
public final class HeldRecords {
    private static final long NONE = Long.MAX_VALUE;
    private final InsertRecorder recorder;
    private long filling = NONE;
    private long inFlight = NONE;

    public HeldRecords(InsertRecorder recorder) {
        this.recorder = recorder;
    }

    /** A record with this Kafka timestamp went into the batch being filled (negative = no timestamp). */
    public void polled(long timestampMs) {
        if (timestampMs >= 0 && timestampMs < filling) {
            filling = timestampMs;
            report();
        }
    }

    /** The batch being filled was handed to the inserter. */
    public void handedOver() {
        inFlight = filling;
        filling = NONE;
        report();
    }

    /** The batch in flight was acknowledged by ClickHouse. */
    public void acknowledged() {
        inFlight = NONE;
        report();
    }

    /** The delivery failed: both batches were dropped and will be read again. */
    public void failed() {
        filling = Math.min(filling, inFlight);
        inFlight = NONE;
        report();
    }

    /** Partitions were revoked or lost: what this consumer held is another one's backlog now. */
    public void revoked() {
        filling = NONE;
        inFlight = NONE;
        report();
    }

    private void report() {
        recorder.holding(Math.min(filling, inFlight));
    }
}
