package io.tagpipe.dev.demo;

import java.util.ArrayList;
import java.util.List;
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

    /**
     * The demo's end check, empty when it passed: every produced record counted by the processor (kept or
     * dropped with a reason), every kept one stored, and each stored once ({@code distinctStored} = distinct ids
     * in ClickHouse). Pure.
     */
    List<String> problems(long distinctStored) {
        List<String> p = new ArrayList<>();
        if (produced != processed()) {
            p.add(String.format(Locale.ROOT, "produced %d but the processor counted %d (%d kept + %d dropped)",
                    produced, processed(), kept, dropped()));
        }
        if (kept != stored) {
            p.add(String.format(Locale.ROOT, "kept %d but ClickHouse holds %d rows", kept, stored));
        }
        if (distinctStored != stored) {
            p.add(String.format(Locale.ROOT, "ClickHouse holds %d rows but %d distinct ids", stored, distinctStored));
        }
        return p;
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
