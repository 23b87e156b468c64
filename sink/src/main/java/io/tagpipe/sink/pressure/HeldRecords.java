package io.tagpipe.sink.pressure;

import java.util.Arrays;

/**
 * The consumer thread's view of the backlog age: the Kafka timestamp of the oldest record in the
 * batches being filled and in the batches in flight — one of each per insert slot (the top lane may
 * have its own) — reported to the {@link InsertRecorder} after each change. A failed delivery keeps
 * them all (they will be read again) until their rows are acknowledged, so the age keeps growing
 * while ClickHouse is down. Used by the consumer thread only.
 */
public final class HeldRecords {
    private static final long NONE = Long.MAX_VALUE;
    private final InsertRecorder recorder;
    private final long[] filling;
    private final long[] inFlight;

    /** @param slots how many insert slots (each a batch being filled and one in flight) */
    public HeldRecords(InsertRecorder recorder, int slots) {
        this.recorder = recorder;
        this.filling = new long[slots];
        this.inFlight = new long[slots];
        Arrays.fill(filling, NONE);
        Arrays.fill(inFlight, NONE);
    }

    /** A record with this Kafka timestamp went into the slot's batch being filled (negative = no timestamp). */
    public void polled(int slot, long timestampMs) {
        if (timestampMs >= 0 && timestampMs < filling[slot]) {
            filling[slot] = timestampMs;
            report();
        }
    }

    /** The slot's batch being filled was handed to its inserter. */
    public void handedOver(int slot) {
        inFlight[slot] = filling[slot];
        filling[slot] = NONE;
        report();
    }

    /** The slot's batch in flight was acknowledged by ClickHouse. */
    public void acknowledged(int slot) {
        inFlight[slot] = NONE;
        report();
    }

    /** A delivery failed: every batch was dropped and will be read again. */
    public void failed() {
        for (int i = 0; i < filling.length; i++) {
            filling[i] = Math.min(filling[i], inFlight[i]);
            inFlight[i] = NONE;
        }
        report();
    }

    /** Partitions were revoked or lost: what this consumer held is another one's backlog now. */
    public void revoked() {
        Arrays.fill(filling, NONE);
        Arrays.fill(inFlight, NONE);
        report();
    }

    private void report() {
        long oldest = NONE;
        for (int i = 0; i < filling.length; i++) {
            oldest = Math.min(oldest, Math.min(filling[i], inFlight[i]));
        }
        recorder.holding(oldest);
    }
}
