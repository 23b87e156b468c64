package io.tagpipe.bench.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.tagpipe.bench.Report;
import io.tagpipe.bench.cpu.CpuMeter;
import io.tagpipe.bench.cpu.CpuUse;
import io.tagpipe.testkit.ClickHouseServer;

/** The phases of {@link EndToEndStage}, each counting what reached the ClickHouse table. */
final class Stage4 {
    static final int TARGET_ROWS_PER_SECOND = 80_000;
    static final int TARGET_P99_MS = 1000;
    private static final long POLL_MS = 100;
    private final ClickHouseServer ch;
    private final String table;
    private final Path dir;
    private final String bootstrap;
    private final String topic;
    private final EndToEndStage.Settings s;
    private final String[] lagOf; // {processor group, records topic, sink group, kept topic}

    Stage4(ClickHouseServer ch, String table, Path dir, String bootstrap, String topic, EndToEndStage.Settings s,
           String[] lagOf) {
        this.lagOf = lagOf;
        this.ch = ch;
        this.table = table;
        this.dir = dir;
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.s = s;
    }

    /**
     * Every JVM runs at the offered rate for {@code jitWarmupSeconds} and the backlog drains, so
     * start-up is not measured: group joins, schema, and above all the JIT — profiled cold, the
     * broker spent 43 % of its CPU and the producers 34 % compiling during the measured window
     * (async-profiler, 2026-11-26), which a long-running deployment pays once.
     */
    void warmUp(ChildJvm processor, ChildJvm sink, Producers p) throws Exception {
        long base = count();
        Producers.Sent before = p.counts();
        p.rate(s.jitWarmupSeconds() > 0 ? s.offered() : 200, 0);
        Thread.sleep(Math.max(s.jitWarmupSeconds(), 3) * 1000L);
        p.rate(0, 0);
        Producers.Sent sent = p.counts().minus(before);
        until(Duration.ofMinutes(5), () -> {
            if (!processor.alive() || !sink.alive()) {
                throw new IllegalStateException("processor or sink exited; see " + dir);
            }
            return count() >= base + sent.delivered();
        });
    }

    /**
     * Producers offer {@code s.offered()}; the rate is the growth of count() over the steady window,
     * and over the same window the CPU time of every process of the pipeline. Right after the window,
     * producers still running, processor and sink are asked for a full GC: their live heap at max load.
     */
    double maxPhase(Producers p, CpuMeter meter, ChildJvm processor, ChildJvm sink, Report report) throws Exception {
        long base = count();
        Producers.Sent before = p.counts();
        long started = System.nanoTime();
        p.rate(s.offered(), 0);
        until(Duration.ofMinutes(3), () -> count() > base);
        Thread.sleep(s.warmupSeconds() * 1000L);
        long c1 = count();
        long t1 = System.nanoTime();
        CpuMeter.Window window = meter.start();
        Thread.sleep(s.windowSeconds() * 1000L);
        long c2 = count();
        long t2 = System.nanoTime();
        CpuUse cpu = window.stop();
        String load = EndToEndStage.loadAverage();
        JvmMemory.fullGc(processor.pid());
        JvmMemory.fullGc(sink.pid());
        String lag = String.format(Locale.ROOT, "lag at window end: processor %d, sink %d records",
                Lag.of(bootstrap, lagOf[0], lagOf[1]), Lag.of(bootstrap, lagOf[2], lagOf[3]));
        Thread.sleep(5000); // still producing past the window's end
        p.rate(0, 0);
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = (c2 - c1) / ((t2 - t1) / 1e9);
        Producers.Sent sent = p.counts().minus(before);
        double offered = sent.delivered() / seconds;
        long drainStart = System.nanoTime();
        long c3 = count();
        long expected = base + sent.delivered();
        until(Duration.ofMinutes(15), () -> count() >= expected);
        double drain = (System.nanoTime() - drainStart) / 1e9;
        double drainRate = expected > c3 ? (expected - c3) / drain : Double.NaN; // n/a: nothing was left to drain
        StoredOnce once = storedOnce(p);
        boolean keptUp = rate >= 0.95 * offered;
        report.add("end to end", s.producers() + " producer JVMs (TagpipeSender), shipped", "records/s", offered, "rec/s", 1, "",
                String.format(Locale.ROOT, "%d sent, %d dropped by the senders' queues (counted)", sent.sent(), sent.dropped()));
        report.add("end to end", "producers → processor → sink → ClickHouse, max sustained", "rows/s", rate, "rec/s", 1,
                ">= " + TARGET_ROWS_PER_SECOND + " rec/s", String.format(Locale.ROOT, "count() growth over %d s after %d s warm-up; %s; "
                        + "%s; %s; load avg %s",
                        s.windowSeconds(), s.warmupSeconds(), keptUp ? "pipeline kept up with what producers shipped (max >= this)"
                                : "pipeline saturated (producers shipped more)", once.summary(), lag, load));
        report.add("end to end", "every record delivered stored exactly once (by id), after the max phase", "problems",
                once.problems().size(), "", 1, "0", once.summary());
        report.add("end to end", "processor → sink → ClickHouse draining the backlog, producers stopped", "rows/s", drainRate,
                "rec/s", 1, "", String.format(Locale.ROOT, "%d rows in %.0f s (the pipeline alone on this box); load avg %s",
                        expected - c3, drain, EndToEndStage.loadAverage()));
        cpuRows(cpu, c2 - c1, offered * cpu.seconds(), rate, offered, once, report);
        System.out.printf("    max phase: %.0f rows/s reached ClickHouse, producers shipped %.0f rec/s, load %s%n", rate, offered, load);
        return rate;
    }

    /** CPU per record of each process over the window; producers per record shipped, the rest per row stored. */
    private void cpuRows(CpuUse cpu, long rows, double shipped, double rate, double offered, StoredOnce once, Report report) {
        long total = cpu.cpuNanos().values().stream().mapToLong(Long::longValue).sum();
        for (String clock : cpu.cpuNanos().keySet()) {
            boolean producers = clock.equals(EndToEndStage.PRODUCERS);
            double micros = producers ? cpu.cpuNanos().get(clock) / 1000.0 / shipped : cpu.microsPerRecord(clock, rows);
            report.add("end to end", clock + ", max window", "CPU per record", micros, "µs", 1, "",
                    String.format(Locale.ROOT, "%.2f cores busy; per record %s", cpu.cores(clock), producers ? "shipped" : "stored"));
        }
        report.headline(new Report.Headline("collector send, end to end (" + s.producers() + " producer JVMs: app loop + TagpipeSender)",
                cpu.cpuNanos().get(EndToEndStage.PRODUCERS) / 1000.0 / shipped, offered, "rec/s", "", "", "", null));
        report.headline(new Report.Headline("broker (end to end: producers in, processor in and out, sink in)",
                cpu.microsPerRecord(EndToEndStage.BROKER, rows), rate, "rows/s", "", "", "", null));
        report.headline(new Report.Headline("end to end, every process (producers → ClickHouse, warm)", total / 1000.0 / Math.max(rows, 1),
                rate, "rows/s", String.format(Locale.ROOT, "processor JVM %s, sink JVM %s, clickhouse-server %s per row",
                Report.number(cpu.microsPerRecord(EndToEndStage.PROCESSOR, rows), "µs"),
                Report.number(cpu.microsPerRecord(EndToEndStage.SINK, rows), "µs"),
                Report.number(cpu.microsPerRecord(EndToEndStage.CLICKHOUSE, rows), "µs")),
                "≥ " + String.format(Locale.ROOT, "%,d", TARGET_ROWS_PER_SECOND) + " rows/s; every record stored once",
                String.format(Locale.ROOT, "%s; %s", Report.number(rate, "rows/s"), once.exact() ? "stored once: yes" : "stored once: NO"),
                rate >= TARGET_ROWS_PER_SECOND && once.exact()));
    }

    /** Per producer app: rows and distinct ids in ClickHouse against the records its sender delivered. */
    private StoredOnce storedOnce(Producers p) throws Exception {
        Map<String, Long> delivered = new LinkedHashMap<>();
        p.countsByApp().forEach((app, sent) -> delivered.put(app, sent.delivered()));
        return StoredOnce.check(delivered, StoredOnce.parse(ch.query("SELECT app, count(), uniqExact(id) FROM " + table
                + " GROUP BY app FORMAT TabSeparated")));
    }

    /** Producers at {@code rate} with markers; reports produce→queryable p50/p99 of the markers after the warm-up. */
    void latencyPhase(Producers p, Report report, double rate) throws Exception {
        long base = count();
        Producers.Sent before = p.counts();
        long since = System.currentTimeMillis();
        p.rate(rate, s.markerMs());
        LatencyProbe probe = new LatencyProbe(ch, table, since);
        // which stage queues when latency grows: consumer lag of processor and sink, sampled every ~5 s
        long[] maxLag = {0, 0};
        long end = System.nanoTime() + s.latencySeconds() * 1_000_000_000L;
        for (int tick = 0; System.nanoTime() < end; tick++) {
            probe.poll();
            if (tick % (5000 / POLL_MS) == 0) {
                maxLag[0] = Math.max(maxLag[0], Lag.of(bootstrap, lagOf[0], lagOf[1]));
                maxLag[1] = Math.max(maxLag[1], Lag.of(bootstrap, lagOf[2], lagOf[3]));
            }
            Thread.sleep(POLL_MS);
        }
        p.rate(0, 0);
        Producers.Sent sent = p.counts().minus(before);
        long expected = base + sent.delivered();
        until(Duration.ofMinutes(5), () -> {
            probe.poll();
            return count() >= expected;
        });
        probe.poll();
        String load = EndToEndStage.loadAverage();
        List<Double> ms = probe.latenciesFrom(since + s.warmupSeconds() * 1000L);
        String how = String.format(Locale.ROOT, "%d markers (1 per %d ms per producer, first %d s skipped), ClickHouse polled every %d ms;"
                + " %.0f rec/s for %d s; largest lag sampled meanwhile: processor %d, sink %d records; load avg %s",
                ms.size(), s.markerMs(), s.warmupSeconds(), POLL_MS,
                sent.delivered() / (double) s.latencySeconds(), s.latencySeconds(), maxLag[0], maxLag[1], load);
        String subject = String.format(Locale.ROOT, "produce→queryable at half the max rate (%.0f rec/s)", rate);
        report.add("end to end", subject, "latency p50", LatencyProbe.percentile(ms, 50), "ms", 1, "", how);
        double p99 = LatencyProbe.percentile(ms, 99);
        report.add("end to end", subject, "latency p99", p99, "ms", 1, "<= " + TARGET_P99_MS + " ms", "");
        report.add("end to end", subject, "latency max", LatencyProbe.percentile(ms, 100), "ms", 1, "", "");
        StoredOnce once = storedOnce(p);
        report.add("end to end", "every record delivered stored exactly once (by id), after the latency phase", "problems",
                once.problems().size(), "", 1, "0", once.summary());
        report.headline(new Report.Headline("end to end latency, produce→queryable", Double.NaN, sent.delivered() / (double) s.latencySeconds(),
                "rec/s", "", "p99 ≤ " + TARGET_P99_MS + " ms at half the max rate", String.format(Locale.ROOT, "p50 %s, p99 %s; %s",
                Report.number(LatencyProbe.percentile(ms, 50), "ms"), Report.number(p99, "ms"), once.exact() ? "stored once: yes" : "stored once: NO"),
                p99 <= TARGET_P99_MS && once.exact()));
    }

    private long count() {
        try {
            return ch.queryLong("SELECT count() FROM " + table);
        } catch (RuntimeException e) {
            return 0; // the sink creates the table when it starts
        }
    }

    private static void until(Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Boolean.TRUE.equals(condition.call())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + timeout);
            }
            Thread.sleep(POLL_MS);
        }
    }
}
