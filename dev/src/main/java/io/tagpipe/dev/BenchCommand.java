package io.tagpipe.dev;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import io.tagpipe.bench.Bench;
import io.tagpipe.bench.e2e.EndToEndStage;
import io.tagpipe.bench.logcall.LogTarget;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tagpipe bench}: every stage measured against its alternative; logic in the bench module. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure log call cost, sender, processor and sink throughput against the alternatives, "
                + "end-to-end rate/latency and processor/sink memory, and sustained overload with shedding on and off; "
                + "prints the headline table (CPU per record per stage, peer or ceiling, target) and the detail table, "
                + "writes bench.json + bench.md; client and child-process logs go to files under --out. "
                + "Starts its own Kafka broker and clickhouse-server.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--stages", split = ",", description = "Stages to run (default all; with --smoke all but OVERLOAD): ${COMPLETION-CANDIDATES}")
    Set<Bench.Stage> stages;

    @Option(names = "--targets", split = ",", description = "Appenders for the log call stages (default all): ${COMPLETION-CANDIDATES}")
    List<LogTarget> targets;

    @Option(names = "--records", description = "Records for the processor and sink stages (default 1000000)")
    Integer records;

    @Option(names = "--runs", description = "Repetitions of each throughput measurement; the median is reported, and the processor stage "
            + "alternates which side runs first (default 3)")
    Integer runs;

    @Option(names = "--jmh-forks", description = "JMH forks per appender (default 2)")
    Integer forks;

    @Option(names = "--e2e-producers", description = "Producer JVMs in the end-to-end stage (default 3)")
    Integer e2eProducers;

    @Option(names = "--e2e-offered", description = "Records/s all producers together offer in the end-to-end max phase (default 120000: above what this box sustains, so the window shows the max)")
    Double e2eOffered;

    @Option(names = "--e2e-window", description = "Seconds of the steady window the end-to-end max rate is measured over (default 30)")
    Integer e2eWindow;

    @Option(names = "--e2e-warmup", description = "Seconds every end-to-end JVM first runs at the offered rate, unmeasured, "
            + "so the JIT has compiled what a long-running deployment would have (default 60; 0 = measure cold JVMs)")
    Integer e2eWarmup;

    @Option(names = "--overload-flood", description = "Seconds of flood per OVERLOAD run (shedding on, then off; default 60, "
            + "--smoke 10); e.g. 600 for the long variant")
    Integer overloadFlood;

    @Option(names = "--out", defaultValue = "bench-results", description = "Directory for bench.json and bench.md (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--smoke", description = "Tiny sizes: proves the command works, measures nothing meaningful")
    boolean smoke;

    @Override
    public Integer call() throws Exception {
        Bench.Options d = smoke ? Bench.Options.smoke(out) : Bench.Options.full(out);
        Bench.Options o = new Bench.Options(stages == null ? EnumSet.copyOf(d.stages()) : stages,
                targets == null ? d.targets() : new ArrayList<>(targets), records == null ? d.records() : records,
                runs == null ? d.runs() : runs, forks == null ? d.jmhForks() : forks, d.jmhIterations(), d.jmhTime(),
                d.downCalls(), d.downBudgetSeconds(), d.senderCalls(), e2e(d.e2e()),
                overloadFlood == null ? d.overload() : d.overload().floodFor(overloadFlood), out);
        var report = Bench.run(o, "tagpipe bench " + String.join(" ", picocliArgs()));
        System.out.println();
        report.print(System.out);
        System.out.println("written: " + out.resolve("bench.json") + ", " + out.resolve("bench.md"));
        return 0;
    }

    private EndToEndStage.Settings e2e(EndToEndStage.Settings d) {
        return new EndToEndStage.Settings(e2eProducers == null ? d.producers() : e2eProducers,
                e2eOffered == null ? d.offered() : e2eOffered, e2eWarmup == null ? d.jitWarmupSeconds() : e2eWarmup,
                d.warmupSeconds(),
                e2eWindow == null ? d.windowSeconds() : e2eWindow, d.latencySeconds(), d.markerMs(), d.heap());
    }

    private List<String> picocliArgs() {
        List<String> a = new ArrayList<>();
        if (smoke) a.add("--smoke");
        if (stages != null) a.add("--stages " + String.join(",", stages.stream().map(Enum::name).toList()));
        if (targets != null) a.add("--targets " + String.join(",", targets.stream().map(Enum::name).toList()));
        if (records != null) a.add("--records " + records);
        if (runs != null) a.add("--runs " + runs);
        if (forks != null) a.add("--jmh-forks " + forks);
        if (e2eProducers != null) a.add("--e2e-producers " + e2eProducers);
        if (e2eOffered != null) a.add("--e2e-offered " + e2eOffered);
        if (e2eWindow != null) a.add("--e2e-window " + e2eWindow);
        if (e2eWarmup != null) a.add("--e2e-warmup " + e2eWarmup);
        if (overloadFlood != null) a.add("--overload-flood " + overloadFlood);
        return a;
    }
}
