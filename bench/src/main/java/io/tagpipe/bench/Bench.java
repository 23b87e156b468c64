package io.tagpipe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tagpipe.bench.e2e.EndToEndStage;
import io.tagpipe.bench.logcall.BrokerDownStage;
import io.tagpipe.bench.logcall.LogCallStage;
import io.tagpipe.bench.logcall.LogTarget;
import io.tagpipe.bench.overload.OverloadStage;
import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.TempDirs;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the selected stages against one broker (its own JVM) and one clickhouse-server, both
 * started here, and writes {@code bench.json} + {@code bench.md} into {@code outDir}.
 */
public final class Bench {
    /**
     * {@code E2E} and {@code MEMORY} are one run: memory is read from the end-to-end max-load phase.
     * {@code OVERLOAD} starves the bench's ClickHouse of CPU, so it runs last.
     */
    public enum Stage { LOGCALL, BROKERDOWN, SENDER, PROCESSOR, SINK, E2E, MEMORY, OVERLOAD }

    /** Sizes and repetitions; {@link #smoke()} is the tiny run that proves the command works. */
    public record Options(Set<Stage> stages, List<LogTarget> targets, int records, int runs, int jmhForks,
                          int jmhIterations, TimeValue jmhTime, int downCalls, double downBudgetSeconds,
                          int senderCalls, EndToEndStage.Settings e2e, OverloadStage.Settings overload, Path outDir) {
        public static Options full(Path outDir) {
            return new Options(EnumSet.allOf(Stage.class), List.of(LogTarget.values()), 1_000_000, 3, 2, 5,
                    TimeValue.seconds(2), 100_000, 20, 200_000, EndToEndStage.Settings.full(), OverloadStage.Settings.standard(),
                    outDir);
        }

        /** Every stage but {@code OVERLOAD} (minutes however small its sizes: it waits for a starved server). */
        public static Options smoke(Path outDir) {
            return new Options(EnumSet.complementOf(EnumSet.of(Stage.OVERLOAD)), List.of(LogTarget.FLOOR_LOGBACK, LogTarget.FLOOR_LOG4J2, LogTarget.TAGPIPE_LOGBACK, LogTarget.TAGPIPE_LOG4J2),
                    1_000, 1, 1, 1, TimeValue.milliseconds(300), 1_000, 10, 2_000, EndToEndStage.Settings.smoke(),
                    OverloadStage.Settings.smoke(), outDir);
        }
    }

    private Bench() {
    }

    public static Report run(Options o, String command) throws Exception {
        Files.createDirectories(o.outDir());
        Path out = o.outDir().toAbsolutePath();
        // Kafka and ClickHouse clients in this JVM log to a file, not between the figures (slf4j-simple
        // reads it once, at the first logger); slf4j's own "which provider" notice is not a figure either
        System.setProperty("org.slf4j.simpleLogger.logFile", System.getProperty("org.slf4j.simpleLogger.logFile",
                out.resolve("bench-clients.log").toString()));
        System.setProperty("slf4j.internal.verbosity", System.getProperty("slf4j.internal.verbosity", "WARN"));
        Report report = new Report();
        Path work = Files.createTempDirectory("tagpipe-bench");
        System.out.println("tagpipe bench: starting a Kafka broker (own JVM) and clickhouse-server under " + work);
        System.out.println("  logs, not printed here: clients of this JVM " + System.getProperty("org.slf4j.simpleLogger.logFile")
                + "; broker " + out.resolve("broker.log") + "; clickhouse-server " + work.resolve("clickhouse")
                + "; child JVMs and JMH under " + out);
        try {
            runStages(o, work, out, report);
        } finally {
            // the broker's log segments and ClickHouse's parts: gigabytes per run, nothing the report needs
            System.out.println(TempDirs.deleteTree(work) ? "tagpipe bench: removed " + work
                    : "tagpipe bench: could not remove all of " + work + " (remove it by hand)");
        }
        report.write(o.outDir(), command);
        return report;
    }

    private static void runStages(Options o, Path work, Path out, Report report) throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(work, "1g", out.resolve("broker.log"))) {
            String bootstrap = broker.bootstrapServers();
            if (o.stages().contains(Stage.LOGCALL)) {
                System.out.println("stage 1: log call cost (JMH)");
                LogCallStage.run(bootstrap, new LogCallStage.Settings(o.targets(), o.jmhForks(), Math.max(1, o.jmhIterations() / 2),
                        o.jmhIterations(), o.jmhTime()), o.outDir(), report);
            }
            if (o.stages().contains(Stage.BROKERDOWN)) {
                System.out.println("stage 1b: log calls with the broker down");
                BrokerDownStage.run(o.targets(), o.downCalls(), o.downBudgetSeconds(), report);
            }
            if (o.stages().contains(Stage.SENDER)) {
                System.out.println("stage 1c: what one sender worker ships");
                sender(bootstrap, o, report);
            }
            if (o.stages().contains(Stage.PROCESSOR)) {
                System.out.println("stage 2: processor throughput");
                ProcessorStage.run(bootstrap, broker.pid(), o.records(), o.runs(), report);
            }
            boolean e2e = o.stages().contains(Stage.E2E) || o.stages().contains(Stage.MEMORY);
            if (o.stages().contains(Stage.SINK) || e2e || o.stages().contains(Stage.OVERLOAD)) {
                try (ClickHouseServer ch = ClickHouseServer.start(Files.createDirectories(work.resolve("clickhouse")))) {
                    report.machine("clickhouse", ch.query("SELECT version()").trim());
                    if (o.stages().contains(Stage.SINK)) {
                        System.out.println("stage 3: sink throughput");
                        SinkStage.run(bootstrap, broker.pid(), ch, o.records(), o.runs(), report);
                    }
                    if (e2e) {
                        System.out.println("stages 4+5: end to end (producer, processor and sink JVMs) and their memory");
                        EndToEndStage.run(bootstrap, broker.pid(), ch, o.e2e(), o.outDir().resolve("e2e-logs"), report);
                    }
                    if (o.stages().contains(Stage.OVERLOAD)) {
                        System.out.println("stage 6: overload — ClickHouse starved of CPU, flooded at 2× what it absorbs, shedding on and off");
                        OverloadStage.run(bootstrap, ch, o.overload(), o.outDir().resolve("overload-logs"), report);
                    }
                }
            }
        }
    }

    static void sender(String bootstrap, Options o, Report report) {
        List<Double> rates = new ArrayList<>();
        List<Double> micros = new ArrayList<>();
        List<Double> dropped = new ArrayList<>();
        for (int r = 0; r < o.runs(); r++) {
            String topic = "sender-" + r + "-" + System.nanoTime();
            BrokerProcess.createTopic(bootstrap, topic, 4, Map.of());
            SenderThroughput.Result all = SenderThroughput.run(bootstrap, topic, o.senderCalls(), o.senderCalls() + 1);
            rates.add(all.deliveredPerSecond());
            micros.add(all.microsPerRecord());
            topic = topic + "-q";
            BrokerProcess.createTopic(bootstrap, topic, 4, Map.of());
            dropped.add((double) SenderThroughput.run(bootstrap, topic, o.senderCalls(), 65_536).dropped());
        }
        report.add("sender", "TagpipeSender worker, " + o.senderCalls() + " calls, queue fits all", "delivered", Report.median(rates),
                "rec/s", o.runs(), "", "runs " + rates);
        report.add("sender", "same burst into a 65536 queue", "dropped (counted)", Report.median(dropped), "records",
                o.runs(), "", "tight loop outruns any single worker; runs " + dropped);
        report.add("sender", "TagpipeSender worker + its Kafka producer thread", "CPU per record", Report.median(micros), "µs",
                o.runs(), "", "ThreadMXBean, first call until all delivered; the app thread's calls: see log call");
        report.headline(new Report.Headline("collector send (one TagpipeSender: worker + Kafka producer thread)",
                Report.median(micros), Report.median(rates), "rec/s", "", "", "", null));
    }
}
