package io.tagpipe.collector;

import java.time.Duration;

import io.tagpipe.wire.Envelope;

/**
 * Where a {@link TagpipeSender} hands finished records: Kafka in production, memory in tests
 * ({@code io.tagpipe.collector.testing.InMemorySink}, in the test artifact {@code tagpipe-collector-lib:tests}).
 */
public interface RecordSink {
    /** Accepts or drops (and counts) the record; never blocks on I/O, never throws. */
    boolean offer(Envelope record);

    /** Waits until everything offered before the call is delivered or dropped; {@code false} on timeout. */
    boolean flush(Duration timeout);

    /** Flushes within the deadline, then releases resources; later offers are dropped. */
    void close(Duration timeout);

    /**
     * When {@link #offer} would drop now (queue full, closed), counts that drop and returns true, so the
     * caller skips building a record nobody will send: under overload the app thread pays for a
     * counter, not for an envelope. A {@code false} is a hint only; {@code offer} still decides.
     */
    default boolean dropIfFull() {
        return false;
    }

    /** Counts a record the sender refused before it reached the sink (e.g. a metric value of NaN). */
    void countDrop(String reason);

    /** Records dropped so far, all reasons. */
    long droppedCount();

    /** True on the sink's own threads, whose log events must not loop back into the sink. */
    default boolean isOwnThread(Thread t) {
        return false;
    }
}
