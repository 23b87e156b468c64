package io.tagpipe.cli.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.tagpipe.wire.StatsRecord;

/**
 * Runs the report's queries and assembles one {@link AppReport} per application. Counts of reason
 * {@code replayed} are taken off {@code shed}: kept + dropped (shed net) + replayed = received.
 */
public final class ReportReader {
    private final ClickHouseReads clickhouse;

    public ReportReader(ClickHouseReads clickhouse) {
        this.clickhouse = clickhouse;
    }

    public List<AppReport> read(ReportQuery q) {
        requireSinkTables(clickhouse, q.database());
        Map<String, Map<String, Long>> reasons = new TreeMap<>();
        for (String[] r : clickhouse.rows(q.statsSql())) {
            reasons.computeIfAbsent(r[0], a -> new TreeMap<>()).merge(r[1], Long.parseLong(r[2]), Long::sum);
        }
        Map<String, Stored> stored = stored(q, partBytes(q));
        Set<String> apps = new TreeSet<>(reasons.keySet());
        apps.addAll(stored.keySet());
        List<AppReport> out = new ArrayList<>();
        for (String app : apps) {
            Map<String, Long> byReason = new TreeMap<>(reasons.getOrDefault(app, Map.of()));
            // a replayed record was counted shed when received: it moves from shed to replayed, received stays
            long replayed = byReason.getOrDefault(StatsRecord.REPLAYED, 0L);
            byReason.remove(StatsRecord.REPLAYED);
            long received = byReason.values().stream().mapToLong(Long::longValue).sum();
            long kept = byReason.getOrDefault(StatsRecord.KEPT, 0L);
            byReason.remove(StatsRecord.KEPT);
            if (replayed > 0) {
                byReason.merge(StatsRecord.SHED, -replayed, Long::sum);
            }
            Stored s = stored.getOrDefault(app, Stored.NONE);
            out.add(new AppReport(app, s.appSource, s.importance, received, kept, byReason, replayed, s.rows, s.reweighted,
                    s.retentionDays, s.partitions.size(), Math.round(s.bytes)));
        }
        return out;
    }

    /** Fails with the operator's next step when the sink has not created its tables in the database. */
    public static void requireSinkTables(ClickHouseReads clickhouse, String database) {
        String tables = clickhouse.text("SELECT name FROM system.tables WHERE database = " + ReportQuery.quote(database));
        for (String t : List.of("logs", "metrics", "ingest_stats")) {
            if (!tables.lines().toList().contains(t)) {
                throw new ReportException("no table " + database + "." + t + " in ClickHouse at " + clickhouse.url()
                        + ": has the sink run against this database? (tagpipe sink --database " + database + ")");
            }
        }
    }

    /** (table/partition) → [rows, bytes] of the active parts. */
    private Map<String, long[]> partBytes(ReportQuery q) {
        Map<String, long[]> parts = new HashMap<>();
        for (String[] r : clickhouse.rows(q.partsSql())) {
            parts.put(r[0] + "/" + r[1], new long[] {Long.parseLong(r[2]), Long.parseLong(r[3])});
        }
        return parts;
    }

    private Map<String, Stored> stored(ReportQuery q, Map<String, long[]> parts) {
        Map<String, Stored> out = new HashMap<>();
        for (String[] r : clickhouse.rows(q.storedSql())) {
            Stored s = out.computeIfAbsent(r[0], a -> new Stored());
            String partition = r[1] + "/" + r[2];
            long rows = Long.parseLong(r[6]);
            long lastTs = Long.parseLong(r[8]);
            s.partitions.add(r[2]);
            s.rows += rows;
            s.reweighted += Double.parseDouble(r[7]);
            s.appSource = r[3];
            if (lastTs >= s.lastTs) {
                s.lastTs = lastTs;
                s.importance = r[4];
                s.retentionDays = Integer.parseInt(r[5]);
            }
            long[] part = parts.get(partition);
            if (part != null && part[0] > 0) {
                s.bytes += (double) part[1] * rows / part[0];
            }
        }
        return out;
    }

    /** Accumulates one app's stored rows over its partitions. */
    private static final class Stored {
        static final Stored NONE = new Stored();
        final Set<String> partitions = new TreeSet<>();
        String appSource = "-";
        String importance = "-";
        int retentionDays;
        long rows;
        long lastTs = Long.MIN_VALUE;
        double reweighted;
        double bytes;
    }
}
