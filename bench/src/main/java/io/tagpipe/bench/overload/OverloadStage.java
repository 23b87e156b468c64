package io.tagpipe.bench.overload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.tagpipe.bench.Report;
import io.tagpipe.testkit.ClickHouseServer;

/**
 * Stage {@code OVERLOAD}: clickhouse-server starved of CPU ({@code CpuThrottle}), first measured
 * (what it absorbs through the whole pipeline), then flooded at {@link Settings#factor()} times that,
 * once with shedding on and once with it off, each on a fresh pipeline (processor and sink JVMs,
 * topics, database). Per run: every critical row's log call → queryable p50/p99 (from the sink's delay histogram,
 * so nothing queries the starved server but the sink itself), the backlog over the
 * lanes and the level every few seconds, the backlog's growth over the flood's last 30 s, how long
 * the level takes back to 0 once the flood stops (server still slow), then — the server free again
 * and the pipeline drained — produced, stored and shed per importance. Measured, never asserted.
 */
public final class OverloadStage {
    /**
     * Sizes. cpuShare: share of one core ClickHouse gets; calibrateSeconds/calibrateRate: the
     * flood that measures what it absorbs; factor × absorbed = the overload input; floodSeconds: the
     * overload window; pressure: the sink's {@code TAGPIPE_SINK_PRESSURE_*} environment.
     */
    public record Settings(double cpuShare, int calibrateSeconds, double calibrateRate, double factor, int floodSeconds,
                           int levelZeroBoundSeconds, int drainBoundSeconds, int sampleMs, Map<String, String> pressure) {
        /**
         * Thresholds for runs of minutes instead of hours (production defaults: insert latency
         * 2/5/15/30 s, backlog age 1/5/15/30 min, calm 30 s, hold 20 s): the fault suite's and the demo's.
         */
        static final Map<String, String> SHORT_THRESHOLDS = Map.of(
                "TAGPIPE_SINK_PRESSURE_PERIOD_MS", "1000",
                "TAGPIPE_SINK_PRESSURE_INSERT_LATENCY_MS", "1000,2000,4000,8000",
                "TAGPIPE_SINK_PRESSURE_BACKLOG_AGE_MS", "5000,10000,20000,40000",
                "TAGPIPE_SINK_PRESSURE_CALM_MS", "5000",
                "TAGPIPE_SINK_PRESSURE_HOLD_MS", "5000");

        /** The default: 60 s of flood per run, a few minutes in all. */
        public static Settings standard() {
            return new Settings(0.03, 45, 5_000, 2.0, 60, 180, 300, 2000, SHORT_THRESHOLDS);
        }

        /** The same with {@code seconds} of flood per run (the long variant). */
        public Settings floodFor(int seconds) {
            return new Settings(cpuShare, calibrateSeconds, calibrateRate, factor, seconds, levelZeroBoundSeconds,
                    drainBoundSeconds, sampleMs, pressure);
        }

        public static Settings smoke() {
            return new Settings(0.03, 6, 2_000, 2.0, 10, 30, 120, 1000, SHORT_THRESHOLDS);
        }
    }

    /** Below this share of the offer, the calibration flood saturated the starved server. */
    static final double SATURATED = 0.8;

    private OverloadStage() {
    }

    public static void run(String bootstrap, ClickHouseServer ch, Settings s, Path dir, Report report) throws Exception {
        Files.createDirectories(dir);
        double absorbed;
        double offered;
        try (OverloadRun cal = new OverloadRun("calibrate", false, bootstrap, ch, s, dir)) {
            cal.warmUp();
            offered = s.calibrateRate();
            absorbed = cal.absorbed(offered);
            // it kept up with the offer: that says "at least", not what it absorbs; offer twice as much
            for (int tries = 1; tries < 3 && !(absorbed < SATURATED * offered); tries++) {
                offered *= 2;
                absorbed = cal.absorbed(offered);
            }
        }
        double rate = Math.max(10, s.factor() * absorbed);
        System.out.printf(Locale.ROOT, "    ClickHouse absorbed %,.0f rows/s through the pipeline; flooding at %,.0f rec/s%n",
                absorbed, rate);
        RunResult on = measure("on", true, rate, bootstrap, ch, s, dir);
        RunResult off = measure("off", false, rate, bootstrap, ch, s, dir);
        String table = RunResult.table(on, off, absorbed);
        Files.writeString(dir.resolve("overload.md"), table);
        System.out.println(table);
        String subject = String.format(Locale.ROOT, "ClickHouse at %.0f %% of a core absorbing", s.cpuShare() * 100);
        report.add("overload", subject, "rows/s", absorbed, "rows/s", 1, "", String.format(Locale.ROOT,
                "rows the sink saw acknowledged, between the first and last step in the last %d s of a %d s flood at %,.0f rec/s, nothing shed",
                s.calibrateSeconds() * 2 / 3, s.calibrateSeconds(), offered)
                + (absorbed < SATURATED * offered ? "" : " (NOT saturated: at least this much)"));
        add(report, on);
        add(report, off);
    }

    private static RunResult measure(String name, boolean shedding, double rate, String bootstrap, ClickHouseServer ch,
                                     Settings s, Path dir) throws Exception {
        try (OverloadRun run = new OverloadRun(name, shedding, bootstrap, ch, s, dir)) {
            run.warmUp();
            RunResult r = run.overload(rate);
            Files.writeString(dir.resolve("overload-" + name + "-backlog.csv"), "seconds,backlog,level\n"
                    + r.backlog().samples().stream().map(x -> String.format(Locale.ROOT, "%.1f,%d,%d", x.atSeconds(), x.records(),
                    x.level())).collect(Collectors.joining("\n")) + "\n");
            return r;
        }
    }

    private static void add(Report report, RunResult r) {
        String subject = String.format(Locale.ROOT, "shedding %s, flood %,.0f rec/s for %.0f s", r.shedding() ? "on" : "off",
                r.inputRate(), r.floodSeconds());
        String how = String.format(Locale.ROOT, "log call → INSERT acknowledged, all %,d critical rows, the sink's histogram"
                + " (bucket bound); %s within 5 s", r.criticalDelay().count(), RunResult.percentOf(r.criticalDelay().shareWithin(5)));
        report.add("overload", subject, "stored during the flood", r.storedRate(), "rows/s", 1, "",
                String.format(Locale.ROOT, "input %.1f× that", r.inputRate() / Math.max(1, r.storedRate())));
        report.add("overload", subject, "critical p50", r.p(50), "ms", 1, "", how);
        report.add("overload", subject, "critical p99", r.p(99), "ms", 1, r.shedding() ? "<= 5000 ms" : "", "");
        report.add("overload", subject, "backlog growth, last 30 s", r.growthLast30(), "rec/s", 1,
                r.shedding() ? "stops within 60 s" : "", (r.stoppedGrowing() ? "stopped" : "still growing")
                        + String.format(Locale.ROOT, " (≤ %.0f %% of the input counts as stopped); level > 0 after %.0f s",
                        RunResult.FLAT * 100, r.backlog().engagedAt()));
        report.add("overload", subject, "level back to 0", r.backlog().levelZeroAfter(r.floodSeconds()), "s", 1, "",
                "after the flood stopped, server still slow; highest level " + r.backlog().maxLevel());
        report.add("overload", subject, "shed", r.total(r.shed()), "records", 1, "", "per importance " + r.shed());
        report.add("overload", subject, "stored", r.total(r.stored()), "records", 1, "",
                "of " + r.total(r.produced()) + " produced; critical and high complete: "
                        + (r.drained() ? (r.criticalAndHighComplete() ? "yes" : "NO") : "not drained"));
    }
}
