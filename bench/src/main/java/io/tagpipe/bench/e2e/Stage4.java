package io.tagpipe.bench.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.tagpipe.bench.Report;
import io.tagpipe.testkit.ClickHouseServer;

/** The phases of {@link EndToEndStage}, each counting what reached the ClickHouse table. */
final class Stage4 {
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

    /** Producers offer {@code s.offered()}; the rate is the growth of count() over the steady window. */
    double maxPhase(Producers p, Report report) throws Exception {
        long base = count();
        Producers.Sent before = p.counts();
        long started = System.nanoTime();
        p.rate(s.offered(), 0);
        until(Duration.ofMinutes(3), () -> count() > base);
        Thread.sleep(s.warmupSeconds() * 1000L);
        long c1 = count();
        long t1 = System.nanoTime();
        Thread.sleep(s.windowSeconds() * 1000L);
        long c2 = count();
        long t2 = System.nanoTime();
        String load = EndToEndStage.loadAverage();
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
        boolean keptUp = rate >= 0.95 * offered;
        report.add("end to end", s.producers() + " producer JVMs (TagpipeSender), shipped", "records/s", offered, "rec/s", 1, "",
                String.format(Locale.ROOT, "%d sent, %d dropped by the senders' queues (counted)", sent.sent(), sent.dropped()));
        report.add("end to end", "producers → processor → sink → ClickHouse, max sustained", "rows/s", rate, "rec/s", 1,
                ">= 50000 rec/s", String.format(Locale.ROOT, "count() growth over %d s after %d s warm-up; %s; "
                        + "all %d rows arrived; %s; load avg %s",
                        s.windowSeconds(), s.warmupSeconds(), keptUp ? "pipeline kept up with what producers shipped (max >= this)"
                                : "pipeline saturated (producers shipped more)", expected - base, lag, load));
        report.add("end to end", "processor → sink → ClickHouse draining the backlog, producers stopped", "rows/s", drainRate,
                "rec/s", 1, "", String.format(Locale.ROOT, "%d rows in %.0f s (the pipeline alone on this box); load avg %s",
                        expected - c3, drain, EndToEndStage.loadAverage()));
        System.out.printf("    max phase: %.0f rows/s reached ClickHouse, producers shipped %.0f rec/s, load %s%n", rate, offered, load);
        return rate;
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
        report.add("end to end", subject, "latency p99", LatencyProbe.percentile(ms, 99), "ms", 1, "<= 2000 ms", "");
        report.add("end to end", subject, "latency max", LatencyProbe.percentile(ms, 100), "ms", 1, "", "");
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
