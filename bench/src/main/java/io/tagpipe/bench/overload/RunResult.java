package io.tagpipe.bench.overload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;


/**
 * What one overload run measured (shedding on or off): the flood's rate and length, the rows/s
 * ClickHouse stored meanwhile, every critical row's log call → queryable delay (the sink's histogram of INSERT
 * acknowledgements: a MergeTree row is queryable once its INSERT returns; no query on the starved server), the backlog and level samples, and per importance what
 * was produced (acknowledged by Kafka), stored (in ClickHouse after the drain) and shed (ingest_stats).
 */
public record RunResult(boolean shedding, double inputRate, double floodSeconds, double storedRate, DelayHistogram criticalDelay, Backlog backlog, Map<String, Long> produced, Map<String, Long> stored, Map<String, Long> shed,
                        boolean drained) {
    /** The stretch at the end of the flood the backlog growth is measured over. */
    public static final double LAST_SECONDS = 30;
    /** Growth up to this share of the input rate counts as "stopped growing" (sampling noise, batch steps). */
    public static final double FLAT = 0.05;

    /** Critical rows' log call → queryable (INSERT acknowledged) at {@code percentile}, ms: a histogram bucket's upper bound. */
    public double p(double percentile) {
        return criticalDelay.atMostMs(percentile);
    }

    public double growthLast30() {
        return backlog.growthPerSecond(floodSeconds - LAST_SECONDS, floodSeconds);
    }

    public boolean stoppedGrowing() {
        return backlog.stoppedGrowing(floodSeconds, LAST_SECONDS, inputRate, FLAT);
    }

    public long total(Map<String, Long> perImportance) {
        return perImportance.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Critical and high: every produced record stored (a count, checked after the drain). */
    public boolean criticalAndHighComplete() {
        return drained && List.of("critical", "high").stream()
                .allMatch(i -> produced.getOrDefault(i, 0L).equals(stored.getOrDefault(i, 0L)));
    }

    /** The side-by-side table of the two runs (Markdown; also readable as plain text). */
    public static String table(RunResult on, RunResult off, double absorbed) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("input (flood)", on, off, r -> String.format(Locale.ROOT, "%,.0f rec/s for %.0f s", r.inputRate(), r.floodSeconds()),
                String.format(Locale.ROOT, "≈ 2× the %,.0f rows/s absorbed", absorbed)));
        rows.add(row("stored during the flood", on, off, r -> String.format(Locale.ROOT, "%,.0f rows/s (input %.1f× that)",
                r.storedRate(), r.inputRate() / Math.max(1, r.storedRate())), ""));
        rows.add(row("critical log call → queryable p50 (at most)", on, off, r -> seconds(r.p(50)), ""));
        rows.add(row("critical log call → queryable p99 (at most)", on, off, r -> seconds(r.p(99)), "≤ 5 s with shedding on"));
        rows.add(row("critical rows queryable within 5 s", on, off, r -> percentOf(r.criticalDelay().shareWithin(5)), ""));
        rows.add(row("critical rows measured / stored", on, off, r -> r.criticalDelay().count() + " / "
                + r.stored().getOrDefault("critical", 0L), "equal"));
        rows.add(row("level > 0 after", on, off, r -> seconds(r.backlog().engagedAt() * 1000), ""));
        rows.add(row("highest level", on, off, r -> String.valueOf(r.backlog().maxLevel()), ""));
        rows.add(row("backlog at flood end", on, off, r -> count(r.backlog().at(r.floodSeconds())), ""));
        rows.add(row("backlog growth, last 30 s of the flood", on, off,
                r -> Double.isNaN(r.growthLast30()) ? "n/a" : String.format(Locale.ROOT, "%+,.0f rec/s", r.growthLast30()), ""));
        rows.add(row("backlog stopped growing", on, off, r -> r.stoppedGrowing() ? "yes" : "no",
                "within 60 s of level > 0 (with shedding on)"));
        rows.add(row("level back to 0 after the flood", on, off, r -> seconds(r.backlog().levelZeroAfter(r.floodSeconds()) * 1000), ""));
        for (String i : List.of("critical", "high", "normal", "low")) {
            rows.add(row(i + ": produced / stored / shed", on, off, r -> r.produced().getOrDefault(i, 0L) + " / "
                    + r.stored().getOrDefault(i, 0L) + " / " + r.shed().getOrDefault(i, 0L), ""));
        }
        rows.add(row("all: produced / stored / shed", on, off,
                r -> r.total(r.produced()) + " / " + r.total(r.stored()) + " / " + r.total(r.shed()), ""));
        rows.add(row("critical and high stored completely", on, off,
                r -> r.drained() ? (r.criticalAndHighComplete() ? "yes" : "NO") : "not drained", "yes"));
        StringBuilder s = new StringBuilder("| figure | shedding on | shedding off | target |\n|---|---|---|---|\n");
        rows.forEach(r -> s.append("| ").append(String.join(" | ", r)).append(" |\n"));
        return s.toString();
    }

    private static String[] row(String name, RunResult on, RunResult off, Function<RunResult, String> f, String target) {
        return new String[] {name, f.apply(on), f.apply(off), target};
    }

    private static String seconds(double ms) {
        return Double.isNaN(ms) ? "n/a" : String.format(Locale.ROOT, "%.1f s", ms / 1000);
    }

    static String percentOf(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    private static String count(long n) {
        return n < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", n);
    }
}
