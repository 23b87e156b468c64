package io.tagpipe.bench.logcall;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tagpipe.bench.Report;

/** Stage 1b: {@link BrokerDownProbe} per appender, each in its own JVM. */
public final class BrokerDownStage {
    private BrokerDownStage() {
    }

    public static void run(List<LogTarget> targets, int calls, double budgetSeconds, Report report) throws Exception {
        for (LogTarget t : targets) {
            Map<String, String> r = probe(t, calls, budgetSeconds);
            if (r == null) {
                report.add("broker down", t.title(), "result", Double.NaN, "", 1, "", "probe failed");
                continue;
            }
            boolean tagpipe = LogCallStage.isTagpipe(t);
            long n = Long.parseLong(r.get("calls"));
            String note = n + " calls in " + Math.round(Long.parseLong(r.get("elapsed")) / 1e9) + " s"
                    + (Boolean.parseBoolean(r.get("stuck")) ? "; a call was still blocked after "
                    + Math.round(Long.parseLong(r.get("stuckNanos")) / 1e9) + " s (budget end)" : "");
            // no call returned within the budget: there is no latency to report, only the block
            report.add("broker down", t.title(), "p50", n == 0 ? Double.NaN : Double.parseDouble(r.get("p50")), "ns", 1, "", note);
            report.add("broker down", t.title(), "p99", n == 0 ? Double.NaN : Double.parseDouble(r.get("p99")), "ns", 1, "", "");
            report.add("broker down", t.title(), "max", n == 0 ? Double.NaN : Double.parseDouble(r.get("max")) / 1e6, "ms", 1, "", "");
            report.add("broker down", t.title(), "blocked calls (> 1 ms)", Double.parseDouble(r.get("blocked")), "calls", 1,
                    tagpipe ? "0" : "", "same JVM meanwhile: " + r.get("gcPausesOver1ms") + " GC pauses ≥ 1 ms of "
                    + r.get("gcPauses") + ", longest " + r.get("gcMaxMs") + " ms, total " + r.get("gcTotalMs") + " ms");
            long duringGc = Long.parseLong(r.get("duringGc"));
            report.add("broker down", t.title(), "calls > 1 ms outside GC pauses", Double.parseDouble(r.get("blocked")) - duringGc,
                    "calls", 1, "", duringGc + " of the slow calls overlapped a stop-the-world GC pause (±1 ms); the rest"
                    + " are waits of another kind: the no-op floor shows what this machine's scheduler adds");
        }
    }

    private static Map<String, String> probe(LogTarget t, int calls, double budgetSeconds) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider", "-Dorg.slf4j.simpleLogger.defaultLogLevel=off",
                "-cp", System.getProperty("java.class.path"), BrokerDownProbe.class.getName(), t.name(),
                String.valueOf(calls), String.valueOf(budgetSeconds))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Map<String, String> out = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    out = new HashMap<>();
                    for (String kv : line.substring(7).split(" ")) {
                        int eq = kv.indexOf('=');
                        out.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
        }
        if (!p.waitFor((long) budgetSeconds + 120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }
}
