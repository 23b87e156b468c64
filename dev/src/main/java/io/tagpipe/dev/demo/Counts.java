package io.tagpipe.dev.demo;

import java.util.Locale;
import java.util.Map;

/**
 * A moment of the pipeline, as the demo measures it: records produced by the apps (end offsets of
 * the records topic), what the processor reported kept and dropped, rows stored in ClickHouse.
 */
public record Counts(long atMillis, long produced, long kept, Map<String, Long> droppedByReason, long stored) {

    long dropped() {
        return droppedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    long processed() {
        return kept + dropped();
    }

    /** One progress line: rates since {@code before}, totals now. Pure. */
    String progressLine(String phase, long elapsedSeconds, Counts before) {
        double dt = Math.max(0.001, (atMillis - before.atMillis) / 1000.0);
        return String.format(Locale.ROOT,
                "[%4ds] %-8s produced %5.0f/s  kept %5.0f/s  dropped %5.0f/s | totals: %d produced, %d kept, %d dropped %s, %d in ClickHouse",
                elapsedSeconds, phase, (produced - before.produced) / dt, (kept - before.kept) / dt,
                (dropped() - before.dropped()) / dt, produced, kept, dropped(), droppedByReason, stored);
    }
}
