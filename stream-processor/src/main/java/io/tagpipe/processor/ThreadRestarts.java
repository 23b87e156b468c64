package io.tagpipe.processor;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Whether a failed stream thread is replaced or the instance stops. A transient failure (a broker
 * restart that aborted an open transaction, a fenced producer the client did not recover from)
 * gets a fresh thread with a fresh producer: exactly-once holds, the open transaction is aborted
 * and its records are processed again. Failures that keep coming are not transient; after
 * {@code max} within {@code window} the instance stops so a supervisor (or a human) sees it.
 */
final class ThreadRestarts {
    private final int max;
    private final Duration window;
    private final Clock clock;
    private final Deque<Long> recent = new ArrayDeque<>();

    ThreadRestarts(int max, Duration window, Clock clock) {
        if (max < 0 || window.isNegative()) {
            throw new IllegalArgumentException("max >= 0 and a non-negative window, got " + max + ", " + window);
        }
        this.max = max;
        this.window = window;
        this.clock = clock;
    }

    /** Records one failure now; true if the thread should be replaced, false if the instance should stop. */
    synchronized boolean replaceAfterFailure() {
        long now = clock.millis();
        while (!recent.isEmpty() && now - recent.peekFirst() > window.toMillis()) {
            recent.removeFirst();
        }
        if (recent.size() >= max) {
            return false;
        }
        recent.addLast(now);
        return true;
    }
}
