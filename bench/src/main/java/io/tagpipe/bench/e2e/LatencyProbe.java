package io.tagpipe.bench.e2e;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tagpipe.testkit.ClickHouseServer;

/**
 * Produce→queryable latency without a per-row insert time (ClickHouse 18.16 has none): polls the
 * table every {@code pollMs} for marker rows and notes the wall-clock instant of the query each first
 * answers (its start); latency = that instant − the marker's {@code ts_ms} (stamped by the sender at
 * the log call, same machine clock). Resolution is the poll interval plus one query.
 */
public final class LatencyProbe {
    private final ClickHouseServer ch;
    private final String table;
    private final long sinceMs;
    private final String where; // marker rows: logger, and the app when known (app, ts is the sort key)
    private final Map<String, long[]> seen = new HashMap<>(); // message -> {ts_ms, first seen}

    LatencyProbe(ClickHouseServer ch, String table, long sinceMs) {
        this(ch, table, sinceMs, null, ProducerChild.MARKER_LOGGER);
    }

    /** Markers are the rows of {@code app} (null: any app) logged by {@code markerLogger}. */
    public LatencyProbe(ClickHouseServer ch, String table, long sinceMs, String app, String markerLogger) {
        this.ch = ch;
        this.table = table;
        this.sinceMs = sinceMs;
        this.where = (app == null ? "" : "app = '" + app + "' AND ") + "logger = '" + markerLogger + "'";
    }

    /** One poll: records markers seen for the first time; returns how many are known. */
    public int poll() {
        // ts is in the sort key (app, ts): the time bound keeps each poll to this phase's rows instead of
        // scanning the whole table every 100 ms, which cost ClickHouse a fifth of a core in earlier runs
        // a row the answer holds was queryable when the query started (a slow or starved server answers late)
        long now = System.currentTimeMillis();
        String rows = ch.query("SELECT message, ts_ms FROM " + table + " WHERE ts >= toDateTime(" + sinceMs / 1000
                + ") AND " + where + " AND ts_ms >= " + sinceMs + " FORMAT TabSeparated");
        for (String line : rows.split("\n")) {
            int tab = line.lastIndexOf('\t');
            if (tab > 0) {
                seen.computeIfAbsent(line.substring(0, tab), k -> new long[] {Long.parseLong(line.substring(tab + 1).trim()), now});
            }
        }
        return seen.size();
    }

    /** Latencies (ms) of the markers produced at or after {@code fromMs}. */
    public List<Double> latenciesFrom(long fromMs) {
        List<Double> out = new ArrayList<>();
        for (long[] v : seen.values()) {
            if (v[0] >= fromMs) {
                out.add((double) (v[1] - v[0]));
            }
        }
        return out;
    }

    public static double percentile(List<Double> xs, double p) {
        List<Double> s = xs.stream().sorted().toList();
        if (s.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * s.size()); // nearest-rank
        return s.get(Math.max(0, Math.min(s.size(), rank) - 1));
    }
}
