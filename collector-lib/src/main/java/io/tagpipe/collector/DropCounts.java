package io.tagpipe.collector;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Dropped records per reason. {@link #take} hands the not-yet-reported part to the reporter and
 * {@link #putBack} returns it when the report itself could not be sent, so no drop goes unreported.
 */
final class DropCounts {
    static final String QUEUE_FULL = "queue_full";
    static final String KAFKA_UNAVAILABLE = "kafka_unavailable";
    static final String SEND_FAILED = "send_failed";
    static final String UNENCODABLE = "unencodable";
    static final String INVALID = "invalid";
    static final String CLOSED = "closed";

    private final Map<String, AtomicLong> unreported = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    void add(String reason) {
        add(reason, 1);
    }

    void add(String reason, long n) {
        unreported.computeIfAbsent(reason, r -> new AtomicLong()).addAndGet(n);
        total.add(n);
    }

    long total() {
        return total.sum();
    }

    boolean hasUnreported() {
        return unreported.values().stream().anyMatch(c -> c.get() > 0);
    }

    /** Reason → count not yet reported, and resets them. */
    Map<String, Long> take() {
        Map<String, Long> out = new java.util.TreeMap<>();
        unreported.forEach((reason, c) -> {
            long n = c.getAndSet(0);
            if (n > 0) {
                out.put(reason, n);
            }
        });
        return out;
    }

    void putBack(String reason, long n) {
        unreported.computeIfAbsent(reason, r -> new AtomicLong()).addAndGet(n);
    }
}
