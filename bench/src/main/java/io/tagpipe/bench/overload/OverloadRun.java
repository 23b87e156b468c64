package io.tagpipe.bench.overload;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.ops.OpsServer;
import io.tagpipe.admin.policy.PolicyClient;
import io.tagpipe.admin.topics.TopicAdmin;
import io.tagpipe.bench.e2e.ChildJvm;
import io.tagpipe.bench.e2e.Lag;
import io.tagpipe.bench.e2e.ProcessorChild;
import io.tagpipe.sink.SinkMain;
import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.CpuThrottle;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.StatsRecord;
import io.tagpipe.wire.policy.Policy;

/**
 * One pipeline of the {@code OVERLOAD} stage on fresh topics and a fresh database: a processor JVM
 * and a sink JVM (reading every lane, highest first, and publishing its level), the {@link Flood}
 * apps with policies that keep everything at level 0. Shedding off: every policy says
 * {@code shed: never}, so the processor reads the level but keeps everything; the sink measures and
 * publishes the level exactly as with shedding on.
 */
final class OverloadRun implements AutoCloseable {
    private static final long TICK_MS = 250;

    private final String name;
    private final boolean shedding;
    private final String bootstrap;
    private final ClickHouseServer ch;
    private final OverloadStage.Settings s;
    private final ProcessorTopics topics;
    private final String db;
    private final String sinkGroup;
    private final ChildJvm processor;
    private final String processorGroup;
    private final ChildJvm sink;
    /** The sink's /metrics: its own produce→acknowledged delay per lane ({@link DelayHistogram}). */
    private final String sinkMetrics;
    /** Records of the warm-up per app: every one kept (level 0), so in ingest_stats and logs beside the flood's. */
    private final Map<String, Long> warm = new HashMap<>();
    /** The sink's insert count, seconds and rows at the last progress line. */
    private double[] lastInserts = {0, 0, 0};
    private DelayHistogram lastCritical = DelayHistogram.empty();

    OverloadRun(String name, boolean shedding, String bootstrap, ClickHouseServer ch, OverloadStage.Settings s, Path dir)
            throws Exception {
        this.name = name;
        this.shedding = shedding;
        this.bootstrap = bootstrap;
        this.ch = ch;
        this.s = s;
        String prefix = "ovl" + name + System.nanoTime() % 100_000;
        this.topics = ProcessorTopics.prefixed(prefix + ".");
        this.db = prefix;
        this.sinkGroup = prefix + "-sink";
        ClientConfig client = new ClientConfig(bootstrap, new Properties());
        new TopicAdmin(client, Duration.ofSeconds(60)).createAll(topics, 4, (short) 1);
        new PolicyClient(client, topics.policies(), Duration.ofSeconds(30)).putAll(policies(shedding));
        this.processorGroup = prefix + "-processor";
        this.processor = ChildJvm.start(name + "-processor", dir, "512m", ProcessorChild.class,
                List.of(bootstrap, prefix + ".", processorGroup), Map.of());
        Map<String, String> env = new HashMap<>(s.pressure());
        int metricsPort = KafkaBroker.freePort();
        this.sinkMetrics = "http://127.0.0.1:" + metricsPort + "/metrics";
        env.put(OpsServer.PORT_ENV, String.valueOf(metricsPort));
        env.putAll(Map.of("TAGPIPE_BOOTSTRAP_SERVERS", bootstrap, "TAGPIPE_CLICKHOUSE_URL", ch.url(),
                "TAGPIPE_CLICKHOUSE_DATABASE", db, "TAGPIPE_SINK_GROUP_ID", sinkGroup,
                "TAGPIPE_SINK_KEPT_TOPICS", String.join(",", topics.lanes()), "TAGPIPE_SINK_STATS_TOPIC", topics.stats(),
                "TAGPIPE_SINK_DLQ_TOPIC", topics.dlq(), "TAGPIPE_SINK_PRESSURE_TOPIC", topics.pressure()));
        this.sink = ChildJvm.start(name + "-sink", dir, "512m", SinkMain.class, List.of(), env);
    }

    /** The flood's apps by importance; normal and low keep everything until the level says otherwise. */
    static Map<String, Policy> policies(boolean shedding) throws Exception {
        Map<String, Policy> p = new LinkedHashMap<>();
        for (var app : Flood.APPS.entrySet()) {
            Map<String, Object> f = new HashMap<>(Map.of("importance", app.getValue()));
            if (!app.getValue().equals("critical") && !app.getValue().equals("high")) {
                f.putAll(Map.of("sample_rate", 1.0, "min_level", "TRACE"));
            }
            if (!shedding) {
                f.put(Policy.SHED, "never");
            }
            p.put(app.getKey(), Policy.of(f));
        }
        return p;
    }

    /** A gentle flood on the free server until rows arrive and everything sent is stored: JVMs, groups and tables ready. */
    void warmUp() throws Exception {
        try (Flood f = new Flood(bootstrap, topics.records(), 200, name + "-warm")) {
            until(Duration.ofMinutes(3), () -> stored() > 0);
            f.stop();
            until(Duration.ofMinutes(3), () -> stored() >= f.produced());
            Flood.APPS.keySet().forEach(a -> warm.put(a, f.produced(a)));
        }
    }

    /**
     * Rows/s ClickHouse absorbs at the throttle: the flood at {@code offered} (nothing shed) for the
     * calibration time, the sink's acknowledged rows read every 500 ms after its first third, the rate between the first and
     * the last insert seen ({@link Backlog#stepRate}).
     */
    double absorbed(double offered) throws Exception {
        try (CpuThrottle slow = CpuThrottle.limit(ch.pid(), s.cpuShare());
             Flood f = new Flood(bootstrap, topics.records(), (int) offered, name + "-cal")) {
            System.out.printf(Locale.ROOT, "    ClickHouse at %.0f %% of a core (%s), %,.0f rec/s for %d s%n",
                    s.cpuShare() * 100, slow.how(), offered, s.calibrateSeconds());
            long t0 = System.nanoTime();
            Thread.sleep(s.calibrateSeconds() * 1000L / 3);
            List<double[]> counts = new ArrayList<>();
            while (System.nanoTime() - t0 < s.calibrateSeconds() * 1_000_000_000L) {
                // the sink's own count of acknowledged rows: a count() on the starved server would cost it CPU
                counts.add(new double[] {(System.nanoTime() - t0) / 1e9, rowsWritten()});
                Thread.sleep(500);
            }
            f.stop();
            return Backlog.stepRate(counts);
        }
    }

    /** The flood at {@code rate} on the starved server, then the level's way back to 0, then the drain on a free server. */
    RunResult overload(double rate) throws Exception {
        long start = System.currentTimeMillis();
        String criticalLane = topics.lanes().get(0);
        DelayHistogram delayBefore = DelayHistogram.scrape(sinkMetrics, criticalLane);
        List<Backlog.Sample> samples = new ArrayList<>();
        Map<String, Long> produced = new LinkedHashMap<>();
        double floodSeconds;
        double storedRate;
        try (LevelFollower level = new LevelFollower(bootstrap, topics.pressure(), sinkGroup, Clock.systemUTC(), start);
             CpuThrottle slow = CpuThrottle.limit(ch.pid(), s.cpuShare())) {
            System.out.printf(Locale.ROOT, "    %s: ClickHouse at %.0f %% of a core (%s), flood %,.0f rec/s for %d s%n", name,
                    s.cpuShare() * 100, slow.how(), rate, s.floodSeconds());
            long storedBefore = stored();
            try (Flood f = new Flood(bootstrap, topics.records(), (int) Math.round(rate), name)) {
                long end = start + s.floodSeconds() * 1000L;
                watch(level, samples, start, () -> System.currentTimeMillis() >= end);
                f.stop();
                floodSeconds = (System.currentTimeMillis() - start) / 1000.0;
                storedRate = (stored() - storedBefore) / floodSeconds;
                Flood.APPS.keySet().forEach(a -> produced.put(a, f.produced(a)));
            }
            long bound = System.currentTimeMillis() + s.levelZeroBoundSeconds() * 1000L;
            watch(level, samples, start, () -> level.current().level() == 0 || System.currentTimeMillis() >= bound);
            sample(level, samples, start);
        }
        long total = produced.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "    %s: flood stopped after %.0f s (%,d records); server free again, draining%n", name,
                floodSeconds, total);
        boolean drained = drain(plus(produced, warm));
        DelayHistogram criticalDelay = DelayHistogram.scrape(sinkMetrics, criticalLane).minus(delayBefore);
        Map<String, Long> stored = plus(perApp("SELECT app, count() FROM " + db + ".logs"), negate(warm));
        return new RunResult(shedding, total / floodSeconds, floodSeconds, storedRate, criticalDelay, new Backlog(samples), byImportance(produced), byImportance(stored),
                byImportance(perApp(stats("reason = '" + StatsRecord.SHED + "'"))), drained);
    }

    /** Until the processor counted every record sent and ClickHouse holds exactly the kept ones (or the bound). */
    private boolean drain(Map<String, Long> sent) throws Exception {
        long deadline = System.nanoTime() + s.drainBoundSeconds() * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            Map<String, Long> kept = perApp(stats("reason = 'kept'"));
            if (perApp(stats("1")).equals(sent) && perApp("SELECT app, count() FROM " + db + ".logs").equals(kept)) {
                return true;
            }
            Thread.sleep(1000);
        }
        return false;
    }

    private void watch(LevelFollower level, List<Backlog.Sample> samples, long start, BooleanSupplier done)
            throws Exception {
        long nextSample = 0;
        long nextLine = System.currentTimeMillis() + 10_000;
        while (!done.getAsBoolean()) {
            long now = System.currentTimeMillis();
            if (now >= nextSample) {
                nextSample = now + s.sampleMs();
                Backlog.Sample x = sample(level, samples, start);
                if (now >= nextLine) {
                    nextLine = now + 10_000;
                    // the processor's own lag on the records topic: records not yet routed to any lane
                    long routing = Lag.of(bootstrap, processorGroup, List.of(topics.records()));
                    String m = DelayHistogram.fetch(sinkMetrics);
                    double[] inserts = {DelayHistogram.value(m, "tagpipe_sink_insert_seconds_count"),
                            DelayHistogram.value(m, "tagpipe_sink_insert_seconds_sum"),
                            DelayHistogram.value(m, "tagpipe_sink_rows_written_total")};
                    double n = inserts[0] - lastInserts[0];
                    DelayHistogram critical = DelayHistogram.parse(m, topics.lanes().get(0));
                    DelayHistogram window = critical.minus(lastCritical);
                    System.out.printf(Locale.ROOT, "    [%3.0fs] %s: level %d, backlog %,d, not yet routed by the processor %,d;"
                                    + " sink: %.0f inserts, %.2f s and %,.0f rows each; critical rows acknowledged: %,d, p99 ≤ %.1f s%n",
                            x.atSeconds(), name, x.level(), x.records(), routing, n, (inserts[1] - lastInserts[1]) / n,
                            (inserts[2] - lastInserts[2]) / n, window.count(), window.atMostMs(99) / 1000);
                    lastInserts = inserts;
                    lastCritical = critical;
                }
            }
            Thread.sleep(TICK_MS);
        }
    }

    private Backlog.Sample sample(LevelFollower level, List<Backlog.Sample> samples, long start) {
        Backlog.Sample x = new Backlog.Sample((System.currentTimeMillis() - start) / 1000.0,
                Lag.of(bootstrap, sinkGroup, topics.lanes()), level.current().level());
        samples.add(x);
        return x;
    }

    private double rowsWritten() {
        return DelayHistogram.value(DelayHistogram.fetch(sinkMetrics), "tagpipe_sink_rows_written_total");
    }

    private long stored() {
        try {
            return ch.queryLong("SELECT count() FROM " + db + ".logs");
        } catch (RuntimeException e) {
            return 0; // the sink creates the table when it starts
        }
    }

    private String stats(String where) {
        return "SELECT app, sum(count) FROM " + db + ".ingest_stats WHERE " + where;
    }

    /** {@code sql} selects (app, number) of the flood's apps: grouped per app here. */
    private Map<String, Long> perApp(String sql) {
        Map<String, Long> out = new HashMap<>();
        String apps = String.join(", ", Flood.APPS.keySet().stream().map(a -> "'" + a + "'").toList());
        String where = sql.contains(" WHERE ") ? " AND " : " WHERE ";
        try {
            ch.query(sql + where + "app IN (" + apps + ") GROUP BY app").lines().filter(l -> !l.isBlank())
                    .map(l -> l.split("\t")).forEach(f -> out.put(f[0], Long.parseLong(f[1].strip())));
        } catch (RuntimeException e) {
            // tables not there yet: nothing counted
        }
        return out;
    }

    private static Map<String, Long> plus(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new HashMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Long::sum));
        return out;
    }

    private static Map<String, Long> negate(Map<String, Long> m) {
        Map<String, Long> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, -v));
        return out;
    }

    private static Map<String, Long> byImportance(Map<String, Long> perApp) {
        Map<String, Long> out = new LinkedHashMap<>();
        Flood.APPS.forEach((app, importance) -> out.merge(importance, perApp.getOrDefault(app, 0L), Long::sum));
        return out;
    }

    private static void until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            sink.close();
        } finally {
            processor.close();
        }
    }
}
