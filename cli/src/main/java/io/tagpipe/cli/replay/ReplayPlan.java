package io.tagpipe.cli.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.tagpipe.wire.ShedEntry;
import io.tagpipe.wire.StatsRecord;

/**
 * What a replay of one app in one window finds and would do.
 *
 * @param shed          shed entries of the app in the window (one per shed record, duplicates of an id once)
 * @param alreadyStored of those, ids ClickHouse already holds (replayed before): not written again
 * @param noLongerHeld  of the rest, records Kafka no longer holds (deleted by retention): cannot come back
 * @param unreadable    of the rest, records at the entry's position that are not the shed record (e.g. the
 *                      topic was re-created): skipped
 * @param toReplay      what comes back, enriched as the processor would have kept it
 */
public record ReplayPlan(String app, ReplayWindow window, int shed, int alreadyStored, int noLongerHeld, int unreadable,
                         List<Replayable> toReplay) {

    public ReplayPlan {
        toReplay = List.copyOf(toReplay);
    }

    /** A shed record ready to be produced to its destination topic. */
    public record Replayable(ShedEntry entry, byte[] key, byte[] value) { }

    /** The {@code replayed} counts of {@code records}, one line per (app, kind, level, minute) like the processor's. */
    public static List<StatsRecord> stats(List<Replayable> records) {
        Map<String, StatsRecord> lines = new TreeMap<>();
        for (Replayable r : records) {
            ShedEntry e = r.entry();
            long minute = StatsRecord.minuteOf(e.ts());
            String key = e.app() + '|' + e.kind() + '|' + e.level() + '|' + minute;
            StatsRecord prev = lines.get(key);
            lines.put(key, new StatsRecord(e.app(), e.kind(), e.level(), StatsRecord.REPLAYED, minute,
                    prev == null ? 1 : prev.count() + 1));
        }
        return new ArrayList<>(lines.values());
    }

    /** One line for people: the counts of this plan. */
    public String summary() {
        return "shed in window: " + shed + ", already in ClickHouse: " + alreadyStored + ", no longer held by Kafka: "
                + noLongerHeld + (unreadable > 0 ? ", not the shed record any more: " + unreadable : "")
                + ", to replay: " + toReplay.size();
    }
}
