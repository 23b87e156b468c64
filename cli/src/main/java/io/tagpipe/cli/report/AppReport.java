package io.tagpipe.cli.report;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import io.tagpipe.wire.StatsRecord;

/**
 * One application's line of the report.
 *
 * @param received   records the processor counted for the app (every reason, from ingest_stats)
 * @param kept       of those, the ones kept (reason {@code kept})
 * @param dropped    drops by reason ({@code sampled}, {@code rate_limit}, {@code min_level} …); {@code shed}
 *                   net of what was replayed since
 * @param replayed   shed records delivered later by {@code tagpipe replay}
 * @param stored     rows of the app in the logs and metrics tables
 * @param reweighted {@code sum(1 / sample_rate)} over the stored rows: the estimate of what was sent
 * @param bytesOnDisk the app's share (by rows) of the active parts of the partitions it lives in
 */
public record AppReport(String app, String appSource, String importance, long received, long kept,
                        Map<String, Long> dropped, long replayed, long stored, double reweighted, int retentionDays,
                        int partitions, long bytesOnDisk) {
    public AppReport {
        dropped = Collections.unmodifiableMap(new TreeMap<>(dropped));
    }

    /** Shed and not (yet) replayed. */
    public long shedNet() {
        return dropped.getOrDefault(StatsRecord.SHED, 0L);
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Drops as {@code reason=n, …} in reason order, or {@code -}. */
    public String droppedByReason() {
        if (dropped.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        dropped.forEach((r, n) -> b.append(b.isEmpty() ? "" : ", ").append(r).append('=').append(n));
        return b.toString();
    }
}
