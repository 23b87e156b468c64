package io.tagpipe.dev.demo;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;

/**
 * After the apps stopped: waits until the processor has reported every produced record and the
 * sink has stored every kept one and every count — the demo's end-to-end check that nothing was lost
 * on the way.
 */
final class Drain {
    private final Progress progress;
    private final Clock clock;

    Drain(Progress progress, Clock clock) {
        this.progress = progress;
        this.clock = clock;
    }

    /** The counts once caught up (stats stored included), or the last counts after {@code timeout} (with a note saying what lags). */
    Counts await(Duration timeout, Duration printEvery, PrintWriter out) throws InterruptedException {
        long deadline = clock.millis() + timeout.toMillis();
        long nextPrint = clock.millis() + printEvery.toMillis();
        while (true) {
            Counts c = progress.measure();
            // the report reads ingest_stats: it must hold every count the processor emitted, too
            if (caughtUp(c) && progress.statsStored() == c.processed()) {
                out.println("  caught up: " + c.produced() + " produced = " + c.processed() + " counted by the processor ("
                        + c.kept() + " kept + " + c.dropped() + " dropped); " + c.stored() + " kept rows in ClickHouse");
                return c;
            }
            if (clock.millis() > deadline) {
                out.println("  NOT caught up after " + timeout.toSeconds() + " s: produced " + c.produced() + ", counted "
                        + c.processed() + ", kept " + c.kept() + ", in ClickHouse " + c.stored());
                return c;
            }
            if (clock.millis() >= nextPrint) {
                out.println("  waiting: produced " + c.produced() + ", counted " + c.processed() + ", kept " + c.kept()
                        + ", in ClickHouse " + c.stored());
                out.flush();
                nextPrint += printEvery.toMillis();
            }
            Thread.sleep(500);
        }
    }

    static boolean caughtUp(Counts c) {
        return c.produced() > 0 && c.processed() == c.produced() && c.stored() == c.kept();
    }
}
