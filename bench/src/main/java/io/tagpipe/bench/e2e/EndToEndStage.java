package io.tagpipe.bench.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.policy.PolicyClient;
import io.tagpipe.admin.topics.TopicAdmin;
import io.tagpipe.bench.Report;
import io.tagpipe.bench.cpu.CpuMeter;
import io.tagpipe.sink.SinkMain;
import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.policy.Policy;

/**
 * Stages 4 and 5: producer JVMs ({@link ProducerChild}) → processor JVM → sink JVM → ClickHouse,
 * every program in its own JVM (processor and sink with {@code -Xmx}{@link Settings#heap()}).
 * The producer JVMs live through all phases, like real apps (their JIT warm-up is paid once, in
 * the warm-up). Phase "max": producers offer a fixed rate; the rate is the growth of {@code count()} in
 * ClickHouse over a steady window while they run, then the rate the backlog drains at once they stop.
 * Phase "latency": half that rate, marker rows polled.
 * CPU time of every process (producers, processor, sink, broker, clickhouse-server) over the max
 * window; after it, every record the producers delivered must be stored exactly once (by id).
 * Memory (stage 5) is read right after the max phase: live heap from a full GC requested at max load,
 * peaks from the GC logs, VmHWM for RSS.
 */
public final class EndToEndStage {
    /**
     * Sizes: offered = total records/s of all producers in the max phase; jitWarmupSeconds = how long
     * every JVM first runs at the offered rate, unmeasured (0 = measure cold JVMs); warmupSeconds =
     * the ramp skipped at the start of each measured phase.
     */
    public record Settings(int producers, double offered, int jitWarmupSeconds, int warmupSeconds, int windowSeconds,
                           int latencySeconds, int markerMs, String heap) {
        public static Settings full() {
            return new Settings(3, 120_000, 60, 15, 30, 40, 100, "2g");
        }

        public static Settings smoke() {
            return new Settings(2, 600, 2, 2, 3, 6, 200, "2g");
        }
    }

    /** Target: processor and sink live heap at max load (a full GC's result), under a generous {@code -Xmx}. */
    static final double TARGET_LIVE_HEAP_MB = 256;
    static final String PRODUCERS = "producer JVMs";
    static final String PROCESSOR = "processor JVM";
    static final String SINK = "sink JVM";
    static final String BROKER = "broker JVM";
    static final String CLICKHOUSE = "clickhouse-server";

    private EndToEndStage() {
    }

    public static void run(String bootstrap, long brokerPid, ClickHouseServer ch, Settings s, Path dir, Report report)
            throws Exception {
        String prefix = "e2e" + System.nanoTime() % 100_000;
        ProcessorTopics topics = ProcessorTopics.prefixed(prefix + ".");
        ClientConfig client = new ClientConfig(bootstrap, new Properties());
        new TopicAdmin(client, Duration.ofSeconds(60)).createAll(topics, 4, (short) 1);
        // keep everything: the figure is records through the whole pipeline, not the sampling ratio
        new PolicyClient(client, topics.policies(), Duration.ofSeconds(30)).putAll(Map.of("*", Policy.of(Map.of("sample_rate", 1.0))));
        String db = prefix.replace('.', '_');
        String table = db + ".logs";
        Files.createDirectories(dir);
        try (ChildJvm processor = ChildJvm.start("processor", dir, s.heap(), ProcessorChild.class,
                List.of(bootstrap, prefix + ".", prefix + "-processor"), Map.of());
             ChildJvm sink = ChildJvm.start("sink", dir, s.heap(), SinkMain.class, List.of(), Map.of(
                     "TAGPIPE_BOOTSTRAP_SERVERS", bootstrap, "TAGPIPE_CLICKHOUSE_URL", ch.url(),
                     "TAGPIPE_CLICKHOUSE_DATABASE", db, "TAGPIPE_SINK_GROUP_ID", prefix + "-sink",
                     "TAGPIPE_SINK_KEPT_TOPICS", String.join(",", topics.lanes()), "TAGPIPE_SINK_STATS_TOPIC", topics.stats(),
                     "TAGPIPE_SINK_DLQ_TOPIC", topics.dlq()));
             Producers producers = Producers.start(s.producers(), dir, bootstrap, topics.records())) {
            Stage4 m = new Stage4(ch, table, dir, bootstrap, topics.records(), s,
                    // the default policy is importance normal: every kept record is in the normal lane, topics.kept()
                    new String[] {prefix + "-processor", topics.records(), prefix + "-sink", topics.kept()});
            m.warmUp(processor, sink, producers);
            CpuMeter meter = new CpuMeter().process(PRODUCERS, producers.pids()).process(PROCESSOR, processor.pid())
                    .process(SINK, sink.pid()).process(BROKER, brokerPid).process(CLICKHOUSE, ch.pid());
            double rate = m.maxPhase(producers, meter, processor, sink, report);
            memory(report, processor, s.heap());
            memory(report, sink, s.heap());
            m.latencyPhase(producers, report, Math.max(rate / 2, 10));
            System.out.println("    child JVM logs and GC logs: " + dir);
        }
    }

    private static void memory(Report report, ChildJvm jvm, String heap) {
        JvmMemory.Peak p = JvmMemory.fromGcLog(jvm.gcLog());
        String alive = jvm.alive() ? "alive after max load" : "EXITED during the run";
        String subject = jvm.name() + " (-Xmx" + heap + ")";
        double rss = JvmMemory.peakRssMb(jvm.pid());
        report.add("memory", subject, "live heap at max load", p.liveAfterFullGcMb(), "MiB", 1,
                "<= " + Math.round(TARGET_LIVE_HEAP_MB) + " MiB", "heap left by a full GC (jcmd GC.run) right after the max window, producers still running; " + alive);
        report.add("memory", subject, "peak heap used", p.heapUsedMb(), "MiB", 1, "",
                p.gcs() + " GCs; largest occupancy a GC started from (garbage included: a generous -Xmx lets it grow)");
        report.add("memory", subject, "peak heap after GC", p.heapAfterGcMb(), "MiB", 1, "",
                "after any GC, young ones included: an upper bound of the live set; committed max " + Math.round(p.heapCommittedMb()) + " MiB");
        report.add("memory", subject, "peak RSS (VmHWM)", rss, "MiB", 1, "", "/proc/" + jvm.pid() + "/status");
        report.headline(new Report.Headline(jvm.name() + " memory at max load (-Xmx" + heap + ")", Double.NaN, Double.NaN, "", "",
                "live heap ≤ " + Math.round(TARGET_LIVE_HEAP_MB) + " MiB", String.format(java.util.Locale.ROOT, "live heap %s, peak RSS %s",
                Report.number(p.liveAfterFullGcMb(), "MiB"), Report.number(rss, "MiB")),
                p.liveAfterFullGcMb() <= TARGET_LIVE_HEAP_MB));
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }
}
