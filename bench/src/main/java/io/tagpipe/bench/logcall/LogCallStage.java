package io.tagpipe.bench.logcall;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.tagpipe.bench.Report;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/** Stage 1: {@link LogCallBenchmark} through JMH's runner (forked JVMs), against a broker in its own JVM. */
public final class LogCallStage {
    private LogCallStage() {
    }

    public record Settings(List<LogTarget> targets, int forks, int warmupIterations, int iterations, TimeValue iterationTime) {
    }

    public static void run(String bootstrap, Settings s, Path outDir, Report report) throws Exception {
        ChainedOptionsBuilder o = new OptionsBuilder().include(LogCallBenchmark.class.getName() + ".logCall")
                .param("bootstrap", bootstrap)
                .param("target", s.targets().stream().map(Enum::name).toArray(String[]::new))
                .forks(s.forks()).warmupIterations(s.warmupIterations()).warmupTime(s.iterationTime())
                .measurementIterations(s.iterations()).measurementTime(s.iterationTime())
                .jvmArgsAppend("-Xmx512m", "-Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-Dslf4j.internal.verbosity=WARN") // a fork's stderr reaches the terminal despite output()
                .addProfiler(GCProfiler.class) // bytes allocated per call: garbage is what turns into GC pauses at p99
                .result(outDir.resolve("jmh-logcall.json").toString()).resultFormat(ResultFormatType.JSON)
                .output(outDir.resolve("jmh-logcall.log").toString()) // JMH's progress and the forks' output
                .shouldFailOnError(true);
        Collection<RunResult> results = new Runner(o.build()).run();
        for (RunResult r : results) {
            LogTarget t = LogTarget.valueOf(r.getParams().getParam("target"));
            Statistics st = r.getPrimaryResult().getStatistics();
            switch (r.getParams().getMode()) {
                case SampleTime -> {
                    report.add("log call", t.title() + ", broker up", "p50", st.getPercentile(50) * 1000, "ns", s.forks(),
                            isTagpipe(t) ? "<= 1000 ns" : "", "JMH SampleTime, " + st.getN() + " samples");
                    report.add("log call", t.title() + ", broker up", "p99", st.getPercentile(99) * 1000, "ns", s.forks(),
                            isTagpipe(t) ? "<= 10000 ns" : "", "");
                    report.add("log call", t.title() + ", broker up", "calls > 1 ms", over(st, 1000), "calls", s.forks(),
                            "", "of " + st.getN() + " sampled");
                }
                case AverageTime -> {
                    report.add("log call", t.title() + ", broker up", "mean", st.getMean() * 1000, "ns",
                            s.forks(), "", "JMH AverageTime");
                    Result<?> alloc = secondary(r, "gc.alloc.rate.norm");
                    if (alloc != null) {
                        report.add("log call", t.title() + ", broker up", "allocated per call", alloc.getScore(), "B",
                                s.forks(), "", "JMH gc profiler");
                    }
                }
                default -> { }
            }
        }
    }

    /** JMH names secondary results with or without a leading middle dot depending on version. */
    private static Result<?> secondary(RunResult r, String name) {
        return r.getSecondaryResults().entrySet().stream().filter(e -> e.getKey().endsWith(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    static boolean isTagpipe(LogTarget t) {
        return t == LogTarget.TAGPIPE_LOGBACK || t == LogTarget.TAGPIPE_LOG4J2 || t == LogTarget.TAGPIPE_LOGBACK_BUILT;
    }

    /** Sampled calls slower than {@code micros}, read from JMH's histogram. */
    static double over(Statistics st, double micros) {
        long n = 0;
        for (Iterator<Map.Entry<Double, Long>> it = st.getRawData(); it.hasNext(); ) {
            Map.Entry<Double, Long> e = it.next();
            if (e.getKey() > micros) {
                n += e.getValue();
            }
        }
        return n;
    }
}
