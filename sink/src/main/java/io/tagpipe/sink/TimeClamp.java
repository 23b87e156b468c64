package io.tagpipe.sink;

/**
 * Keeps record timestamps from exploding the partition count: a row is stored (and partitioned)
 * at a time inside [now − (retention − 1 day), now + 1 day]; the record's own timestamp stays
 * untouched in {@code ts_ms}. A clock-skewed or garbage {@code ts} (year 1970 or 2400) would
 * otherwise create one partition per distinct day, or overflow 18.16's 32-bit DateTime.
 *
 * <p>The lower bound lies inside the retention: a current server's TTL drops rows already past it
 * at insert, so a record the processor kept would never be seen. Clamped there, it is stored on
 * every server, visible for about a day, then expires with its partition.
 */
public final class TimeClamp {
    static final long DAY_MS = 86_400_000L;

    private TimeClamp() {
    }

    public static long clamp(long tsMillis, int retentionDays, long nowMillis) {
        long lowest = nowMillis - Math.max(0, retentionDays - 1L) * DAY_MS;
        long highest = nowMillis + DAY_MS;
        return Math.max(lowest, Math.min(highest, tsMillis));
    }
}
