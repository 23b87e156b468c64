package io.tagpipe.sink;

import java.time.Duration;

/** Doubling delay with a cap; {@link #reset()} after a success. */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration next;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The delay to wait now; the following call returns twice as much, up to the cap. */
    Duration next() {
        Duration d = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return d;
    }

    void reset() {
        next = initial;
    }
}
