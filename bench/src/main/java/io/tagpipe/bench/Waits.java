package io.tagpipe.bench;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polling waits for the bench runner (tests use Awaitility; the runner is not a test). */
final class Waits {
    private Waits() {
    }

    static void until(Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Boolean.TRUE.equals(condition.call())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
