package io.tagpipe.dev.demo;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import io.tagpipe.bench.overload.Flood;
import io.tagpipe.bench.overload.LevelFollower;
import io.tagpipe.cli.report.ClickHouseReads;
import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.CpuThrottle;
import io.tagpipe.wire.Pressure;
import io.tagpipe.wire.StatsRecord;
import io.tagpipe.wire.Topics;

/**
 * The demo's overload phase: the local ClickHouse is really starved of CPU ({@link CpuThrottle}),
 * a {@link Flood} arrives at several times what it then absorbs, the sink raises the pressure
 * level, the processor sheds the low apps first, then the normal one; the input stops, the level
 * must come back to 0 while the server is still slow, then the server is freed. Afterwards it checks
 * from ClickHouse that the critical and high apps are complete and says what was shed and how to
 * replay it. Fails (the demo exits non-zero) when a critical or high record is missing.
 */
final class OverloadPhase {
    /** Share of one core the starved ClickHouse gets. */
    static final double CPU_SHARE = 0.03;
    /** How long the level may take to come back to 0 after the flood stops. */
    static final Duration LEVEL_ZERO_BOUND = Duration.ofSeconds(180);

    /** One flood app after the phase: produced (acknowledged by Kafka), stored in ClickHouse, shed by the processor. */
    record AppLine(String app, String importance, long produced, long stored, long shed) {
        boolean complete() {
            return stored == produced;
        }
    }

    /** What happened: seconds after the apps' start (for the chart), the highest level, the per-app lines. */
    record Result(double startSeconds, double endSeconds, int maxLevel, double levelZeroAfterSeconds,
                  Map<String, Long> produced, List<AppLine> apps, Instant from, Instant until) { }

    private final DemoSettings s;
    private final PrintWriter out;
    private final Clock clock;
    private final Consumer<List<String>> cli;

    /** @param cli runs a {@code tagpipe} command line the way the demo shows it */
    OverloadPhase(DemoSettings s, PrintWriter out, Clock clock, Consumer<List<String>> cli) {
        this.s = s;
        this.out = out;
        this.clock = clock;
        this.cli = cli;
    }

    Result run(String bootstrap, ClickHouse clickhouse, Progress progress, StatsTally tally, long appsStart)
            throws Exception {
        Path policies = s.workDir().resolve("overload-policies.yaml");
        Files.writeString(policies, policyYaml());
        out.print(Demo.indent(policyYaml()));
        cli.accept(List.of("policy", "apply", policies.toString()));

        Instant from = clock.instant();
        double startSeconds = (clock.millis() - appsStart) / 1000.0;
        try (LevelFollower level = new LevelFollower(bootstrap, Topics.PRESSURE, DemoSink.GROUP, clock, appsStart);
             CpuThrottle slow = CpuThrottle.limit(clickhouse.pid(), CPU_SHARE)) {
            out.printf(Locale.ROOT, "  ClickHouse (pid %d) now gets %.0f %% of one core (%s): a really slow server, "
                    + "not a flag in tagpipe%n", clickhouse.pid(), CPU_SHARE * 100, slow.how());
            out.printf("  flood: %d records/s for %d s from a load generator writing as %s%n", s.overloadRate(),
                    s.overload().toSeconds(), String.join(", ", Flood.APPS.keySet()));
            out.flush();
            long floodStart = clock.millis();
            long storedBefore = progress.stored();
            Flood flood = new Flood(bootstrap, Topics.RECORDS, s.overloadRate(), "overload-" + floodStart);
            try {
                watch(level, tally, progress, floodStart + s.overload().toMillis(), appsStart, flood);
            } finally {
                long failed = flood.stop();
                flood.close();
                if (failed > 0) {
                    out.println("  " + failed + " flood records were not accepted by Kafka (not counted as produced)");
                }
            }
            long floodEnd = clock.millis();
            double absorbed = (progress.stored() - storedBefore) / ((floodEnd - floodStart) / 1000.0);
            out.printf(Locale.ROOT, "  flood stopped: %d records in %.0f s; ClickHouse stored %.0f rows/s meanwhile "
                            + "(the flood was %.1f× that)%n", flood.produced(), (floodEnd - floodStart) / 1000.0, absorbed,
                    s.overloadRate() / Math.max(1, absorbed));
            out.println("  input back to normal, ClickHouse still slow: waiting for the level to come back to 0");
            out.flush();
            long deadline = floodEnd + LEVEL_ZERO_BOUND.toMillis();
            watch(level, tally, progress, deadline, appsStart, null, () -> level.current().level() == 0);
            double zeroAfter = (clock.millis() - floodEnd) / 1000.0;
            if (level.current().level() != 0) {
                throw new IllegalStateException("the pressure level is still " + level.current().level() + " "
                        + LEVEL_ZERO_BOUND.toSeconds() + " s after the flood stopped: " + level.current().reasons());
            }
            out.printf(Locale.ROOT, "  level back to 0 %.0f s after the flood stopped; levels seen (s after the apps started → level): %s%n",
                    zeroAfter, level.changes().stream().map(c -> String.format(Locale.ROOT, "%.0f→%d", c.atSeconds(), c.level())).toList());
            Map<String, Long> produced = new HashMap<>();
            Flood.APPS.keySet().forEach(a -> produced.put(a, flood.produced(a)));
            out.println("  ClickHouse gets its CPU back");
            return new Result(startSeconds, (floodEnd - appsStart) / 1000.0, level.maxLevel(), zeroAfter, Map.copyOf(produced),
                    List.of(), from, clock.instant());
        }
    }

    /** After the pipeline drained: the per-app lines, checked. */
    Result check(Result r, ClickHouseReads clickhouse, String database) {
        Map<String, Long> produced = r.produced();
        Map<String, Long> stored = perApp(clickhouse, "SELECT app, count() FROM `" + database + "`.logs WHERE app IN (" + appList()
                + ") GROUP BY app");
        Map<String, Long> shed = perApp(clickhouse, "SELECT app, sum(count) FROM `" + database + "`.ingest_stats WHERE reason = '"
                + StatsRecord.SHED + "' AND app IN (" + appList() + ") GROUP BY app");
        List<AppLine> lines = new ArrayList<>();
        Flood.APPS.forEach((app, importance) -> lines.add(new AppLine(app, importance, produced.getOrDefault(app, 0L),
                stored.getOrDefault(app, 0L), shed.getOrDefault(app, 0L))));
        out.println("overload check (ClickHouse logs and ingest_stats, after the drain):");
        for (AppLine l : lines) {
            boolean mustBeComplete = l.importance().equals("critical") || l.importance().equals("high");
            out.printf(Locale.ROOT, "  %-16s %-8s produced %7d  stored %7d  shed %7d  %s%n", l.app(), l.importance(),
                    l.produced(), l.stored(), l.shed(), mustBeComplete ? (l.complete() ? "complete" : "INCOMPLETE")
                            : l.shed() > 0 ? "shed records can come back: tagpipe replay --app " + l.app() + " --since "
                            + r.from() + " --until " + r.until() : "");
        }
        out.flush();
        for (AppLine l : lines) {
            if ((l.importance().equals("critical") || l.importance().equals("high")) && !l.complete()) {
                throw new IllegalStateException(l.app() + " (" + l.importance() + ") has " + l.stored() + " of its "
                        + l.produced() + " records in ClickHouse after the overload");
            }
        }
        return new Result(r.startSeconds(), r.endSeconds(), r.maxLevel(), r.levelZeroAfterSeconds(), produced, List.copyOf(lines),
                r.from(), r.until());
    }

    static String policyYaml() {
        StringBuilder b = new StringBuilder("# the overload phase's apps; low ones keep everything until the database is under pressure\n");
        Flood.APPS.forEach((app, importance) -> b.append(String.format(Locale.ROOT, "%-16s {importance: %s%s}%n", app + ":",
                importance, importance.equals("critical") || importance.equals("high") ? "" : ", sample_rate: 1.0, min_level: TRACE")));
        return b.toString();
    }

    private void watch(LevelFollower level, StatsTally tally, Progress progress, long until, long appsStart, Flood flood)
            throws InterruptedException {
        watch(level, tally, progress, until, appsStart, flood, () -> false);
    }

    /** Prints a line every progress interval until {@code until} or {@code done}. */
    private void watch(LevelFollower level, StatsTally tally, Progress progress, long until, long appsStart, Flood flood,
                       java.util.function.BooleanSupplier done) throws InterruptedException {
        long every = s.progressEvery().toMillis();
        long t = clock.millis();
        long kept = tally.kept();
        long shed = tally.droppedByReason().getOrDefault(StatsRecord.SHED, 0L);
        long stored = progress.stored();
        long sent = flood == null ? 0 : flood.produced();
        while (clock.millis() < until && !done.getAsBoolean()) {
            Thread.sleep(Math.min(every, Math.max(1, until - clock.millis())));
            long now = clock.millis();
            double dt = Math.max(0.001, (now - t) / 1000.0);
            long k = tally.kept();
            long sh = tally.droppedByReason().getOrDefault(StatsRecord.SHED, 0L);
            long st = progress.stored();
            long se = flood == null ? 0 : flood.produced();
            Pressure p = level.current();
            out.printf(Locale.ROOT, "[%4ds] overload level %d%s | flood %5.0f/s  kept %5.0f/s  shed %5.0f/s  stored %5.0f/s%n",
                    (now - appsStart) / 1000, p.level(), p.reasons().isEmpty() ? "" : " (" + String.join("; ", p.reasons()) + ")",
                    (se - sent) / dt, (k - kept) / dt, (sh - shed) / dt, (st - stored) / dt);
            out.flush();
            t = now;
            kept = k;
            shed = sh;
            stored = st;
            sent = se;
        }
    }

    private static String appList() {
        return String.join(", ", Flood.APPS.keySet().stream().map(a -> "'" + a + "'").toList());
    }

    private static Map<String, Long> perApp(ClickHouseReads clickhouse, String sql) {
        Map<String, Long> out = new HashMap<>();
        clickhouse.text(sql).lines().filter(l -> !l.isBlank()).map(l -> l.split("\t"))
                .forEach(f -> out.put(f[0], Long.parseLong(f[1].strip())));
        return out;
    }
}
