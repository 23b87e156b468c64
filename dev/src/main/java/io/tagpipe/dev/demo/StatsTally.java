package io.tagpipe.dev.demo;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.tagpipe.wire.StatsRecord;

/**
 * Sums the processor's stats lines (deltas, so summing is the only correct reading) into totals
 * per app and reason, and into a timeline of kept vs dropped per app in fixed buckets of the time
 * the line was seen. Pure and thread-safe: the follower thread adds, the progress printer reads.
 */
public final class StatsTally {
    private final long originMillis;
    private final long bucketMillis;
    private final Map<String, Map<String, Long>> byAppReason = new TreeMap<>();
    private final Map<String, TreeMap<Long, long[]>> timeline = new TreeMap<>();

    public StatsTally(long originMillis, long bucketMillis) {
        this.originMillis = originMillis;
        this.bucketMillis = bucketMillis;
    }

    public synchronized void add(StatsRecord r, long seenAtMillis) {
        byAppReason.computeIfAbsent(r.app(), a -> new TreeMap<>()).merge(r.reason(), r.count(), Long::sum);
        long bucket = Math.max(0, Math.floorDiv(seenAtMillis - originMillis, bucketMillis));
        long[] kd = timeline.computeIfAbsent(r.app(), a -> new TreeMap<>()).computeIfAbsent(bucket, b -> new long[2]);
        kd[StatsRecord.KEPT.equals(r.reason()) ? 0 : 1] += r.count();
    }

    /** Every record the processor has reported, any reason. */
    public synchronized long received() {
        return byAppReason.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }

    public synchronized long kept() {
        return byAppReason.values().stream().mapToLong(m -> m.getOrDefault(StatsRecord.KEPT, 0L)).sum();
    }

    /** Drops summed over apps, by reason. */
    public synchronized Map<String, Long> droppedByReason() {
        Map<String, Long> out = new TreeMap<>();
        byAppReason.values().forEach(m -> m.forEach((reason, n) -> {
            if (!StatsRecord.KEPT.equals(reason)) {
                out.merge(reason, n, Long::sum);
            }
        }));
        return out;
    }

    public synchronized long count(String app, String reason) {
        return byAppReason.getOrDefault(app, Map.of()).getOrDefault(reason, 0L);
    }

    /** app → bucket index → {kept, dropped}; a copy. */
    public synchronized Map<String, TreeMap<Long, long[]>> timeline() {
        Map<String, TreeMap<Long, long[]>> copy = new HashMap<>();
        timeline.forEach((app, buckets) -> {
            TreeMap<Long, long[]> b = new TreeMap<>();
            buckets.forEach((k, v) -> b.put(k, v.clone()));
            copy.put(app, b);
        });
        return copy;
    }

    public long bucketMillis() {
        return bucketMillis;
    }

    public long originMillis() {
        return originMillis;
    }
}
