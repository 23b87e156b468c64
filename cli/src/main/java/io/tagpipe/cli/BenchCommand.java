package io.tagpipe.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import io.tagpipe.bench.Bench;
import io.tagpipe.bench.logcall.LogTarget;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tagpipe bench}: every stage measured against its alternative; logic in the bench module. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure log call cost, sender, processor and sink throughput against the alternatives; "
                + "prints a table and writes bench.json + bench.md. Starts its own Kafka broker and clickhouse-server.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--stages", split = ",", description = "Stages to run (default all): ${COMPLETION-CANDIDATES}")
    Set<Bench.Stage> stages;

    @Option(names = "--targets", split = ",", description = "Appenders for the log call stages (default all): ${COMPLETION-CANDIDATES}")
    List<LogTarget> targets;

    @Option(names = "--records", description = "Records for the processor and sink stages (default 1000000)")
    Integer records;

    @Option(names = "--runs", description = "Repetitions of each throughput measurement; the median is reported (default 3)")
    Integer runs;

    @Option(names = "--jmh-forks", description = "JMH forks per appender (default 2)")
    Integer forks;

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
                d.downCalls(), d.downBudgetSeconds(), d.senderCalls(), out);
        var report = Bench.run(o, "tagpipe bench " + String.join(" ", picocliArgs()));
        System.out.println();
        report.print(System.out);
        System.out.println("written: " + out.resolve("bench.json") + ", " + out.resolve("bench.md"));
        return 0;
    }

    private List<String> picocliArgs() {
        List<String> a = new ArrayList<>();
        if (smoke) a.add("--smoke");
        if (stages != null) a.add("--stages " + String.join(",", stages.stream().map(Enum::name).toList()));
        if (targets != null) a.add("--targets " + String.join(",", targets.stream().map(Enum::name).toList()));
        if (records != null) a.add("--records " + records);
        if (runs != null) a.add("--runs " + runs);
        if (forks != null) a.add("--jmh-forks " + forks);
        return a;
    }
}
