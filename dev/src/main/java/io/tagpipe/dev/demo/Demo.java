package io.tagpipe.dev.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.topics.TopicAdmin;
import io.tagpipe.cli.Tagpipe;
import io.tagpipe.cli.report.AppReport;
import io.tagpipe.cli.report.ReportFormat;
import io.tagpipe.cli.report.ReportQuery;
import io.tagpipe.cli.report.ReportReader;
import io.tagpipe.processor.ProcessorApp;
import io.tagpipe.processor.ProcessorSettings;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.StatsRecord;
import io.tagpipe.wire.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code tagpipe demo}: the whole pipeline on one machine, phase by phase. Everything it starts is
 * pushed on a stack and closed in reverse order by {@link #close()} (also from the shutdown hook).
 */
public final class Demo implements AutoCloseable {
    private static final String PROCESSOR_ID = "tagpipe-demo-processor";

    private final DemoSettings s;
    private final PrintWriter out;
    private final Clock clock;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private volatile String phase = "starting";
    private boolean closed;

    public Demo(DemoSettings settings, PrintWriter out, Clock clock) {
        this.s = settings;
        this.out = out;
        this.clock = clock;
    }

    public String phase() {
        return phase;
    }

    /** Runs every phase up to the report; services stay up until {@link #close()}. */
    public DemoResult run() throws Exception {
        Instant begin = clock.instant();
        DemoServices services = startPipeline();
        String bootstrap = services.bootstrapServers();

        phase("apps", "starting the sample apps as separate processes for " + s.duration().toSeconds() + " s");
        List<SampleApp> apps = SampleApp.plan(s.home(), javaBinary(), bootstrap, s.duration(), s.python() ? pythonOrNull() : null);
        apps.forEach(a -> out.printf("  %-15s %-48s %s%n", a.label(), a.entrypoint(), a.description()));
        RunningApps running = push(RunningApps.start(apps, s.workDir().resolve("logs"), s.home()));
        long appsStart = clock.millis();
        StatsTally tally = new StatsTally(appsStart, 5_000);
        push(new StatsFollower(bootstrap, Topics.STATS, tally, clock));
        Admin admin = push(Admin.create(adminProps(bootstrap)));
        Progress progress = push(new Progress(admin, Topics.RECORDS, tally, services.clickhouse(), s.database(), clock));
        phase = "running";
        progress.printEvery(s.progressEvery(), this::phase, out);

        double changeAt = changePolicyMidway(appsStart, bootstrap, tally);
        awaitChangeVisible(appsStart, tally);
        running.stop(DemoPolicies.CHANGED_APP);
        if (!running.awaitExit(s.duration().minus(s.policyChangeAt()).plusSeconds(60))) {
            out.println("  some apps did not stop in time: " + running.exitSummary());
        }
        progress.close();
        phase("draining", "apps finished (" + String.join(", ", running.exitSummary()) + "); waiting for processor and sink to catch up");
        Counts end = new Drain(progress, clock).await(Duration.ofSeconds(120), s.progressEvery(), out);
        OverloadPhase.Result overload = null;
        if (!s.overload().isZero()) {
            if (services.cluster().isPresent()) {
                out.println("overload phase skipped: it starves one ClickHouse server of CPU, not a cluster");
            } else if (services.localClickhouse().isEmpty()) {
                out.println("overload phase skipped: it starves the demo's own ClickHouse of CPU, and with --clickhouse-url "
                        + "the server is yours");
            } else {
                phase("overload", "ClickHouse made really slow, a flood of about " + s.overloadRate() + " records/s: "
                        + "the sink raises the pressure level, the processor sheds low apps first, critical ones never");
                OverloadPhase o = new OverloadPhase(s, out, clock, args -> cli(args, bootstrap));
                OverloadPhase.Result r = o.run(bootstrap, services.localClickhouse().get(), progress, tally, appsStart);
                phase("draining", "waiting for processor and sink to store the overload's backlog");
                end = new Drain(progress, clock).await(Duration.ofSeconds(300), s.progressEvery(), out);
                overload = o.check(r, services.clickhouse(), s.database());
            }
        }
        DemoResult result = finish(begin, services, apps.size(), tally, end, changeAt, overload);
        List<String> problems = new ArrayList<>(end.problems(progress.distinctStored()));
        if (services.cluster().isPresent()) {
            out.println("what each server holds (its own logs_local + metrics_local, not through the Distributed tables):");
            List<ClusterHoldings.Holding> holdings = ClusterHoldings.read(services.cluster().get(), s.database());
            holdings.forEach(h -> out.println("  " + h.line()));
            problems.addAll(ClusterHoldings.problems(holdings, end.stored()));
        }
        out.printf("demo finished in %.0f s%n", Duration.between(begin, clock.instant()).toMillis() / 1000.0);
        if (!problems.isEmpty()) { // after the report, so that what is there can be looked at
            throw new IllegalStateException("end check failed: " + String.join("; ", problems));
        }
        out.println("end check passed: every produced record counted, every kept one stored once");
        return result;
    }

    private DemoServices startPipeline() throws Exception {
        phase("services", "starting an embedded Kafka broker and ClickHouse");
        DemoServices services = push(DemoServices.start(s, out));
        String bootstrap = services.bootstrapServers();

        phase("topics", "creating topics (tagpipe topics create)");
        new TopicAdmin(ClientConfig.of(bootstrap, null), Duration.ofSeconds(60)).createAll(ProcessorTopics.defaults(), 4, (short) 1)
                .forEach(r -> out.printf("  %-18s %s%n", r.topic(), r.detail()));

        Path policies = s.workDir().resolve("policies.yaml");
        phase("policies", "tagpipe policy apply " + policies);
        Files.writeString(policies, DemoPolicies.initialYaml());
        out.print(indent(DemoPolicies.initialYaml()));
        cli(List.of("policy", "apply", policies.toString()), bootstrap);

        phase("processor", "starting the stream processor (Kafka Streams, exactly once)");
        push(startProcessor(bootstrap));

        phase("sink", "starting the sink into ClickHouse database '" + s.database() + "'");
        push(DemoSink.start(bootstrap, services.clickhouseUrl(), services.clusterName(), s, out));
        return services;
    }

    /**
     * Waits until the change time and until the processor has kept some of the app's records under
     * its first policy (a slow JVM start must not hide the "before"), then changes the policy through
     * the CLI; returns when, in seconds after the apps' start.
     */
    private double changePolicyMidway(long appsStart, String bootstrap, StatsTally tally) throws InterruptedException {
        sleepUntil(appsStart + s.policyChangeAt().toMillis());
        // each app runs for the duration from its own start, so a late JVM still has its time to run
        long giveUp = appsStart + s.duration().toMillis() + 60_000;
        while (tally.count(DemoPolicies.CHANGED_APP, StatsRecord.KEPT) == 0 && clock.millis() < giveUp) {
            Thread.sleep(200);
        }
        List<String> args = DemoPolicies.changeArgs();
        phase("policy change", "tagpipe " + String.join(" ", args));
        cli(args, bootstrap);
        phase = "running";
        return (clock.millis() - appsStart) / 1000.0;
    }

    /**
     * The processor applies a policy to the records it reads after the change, and on a busy machine
     * it may lag the apps by tens of seconds: the changed app keeps producing until its first drop
     * under the new policy has been counted (and at least until the demo's duration is over).
     */
    private void awaitChangeVisible(long appsStart, StatsTally tally) throws InterruptedException {
        long notBefore = appsStart + s.duration().toMillis();
        long giveUp = notBefore + SampleApp.CHANGED_APP_EXTRA.toMillis() - 10_000;
        while (clock.millis() < giveUp
                && (clock.millis() < notBefore || tally.count(DemoPolicies.CHANGED_APP, StatsRecord.MIN_LEVEL) == 0)) {
            Thread.sleep(200);
        }
    }

    private DemoResult finish(Instant begin, DemoServices services, int appCount, StatsTally tally, Counts end, double changeAt,
                              OverloadPhase.Result overload) throws IOException {
        String onCluster = services.clusterName() == null ? "" : " --clickhouse-cluster " + services.clusterName();
        phase("report", "per-app report from ClickHouse (the same as: tagpipe report --clickhouse-url " + services.clickhouseUrl()
                + onCluster + " --database " + s.database() + ")");
        List<AppReport> report = new ReportReader(services.clickhouse()).read(ReportQuery.of(s.database(), null, null, clock.instant())
                .onCluster(services.clusterName()));
        String table = ReportFormat.TABLE.render(report);
        out.print(table);
        long floodRecords = overload == null ? 0 : overload.produced().values().stream().mapToLong(Long::longValue).sum();
        String flood = overload == null ? "" : String.format(java.util.Locale.ROOT, " (and %d by the overload flood as %d apps, "
                + "highest pressure level %d)", floodRecords, overload.produced().size(), overload.maxLevel());
        String summary = String.format(java.util.Locale.ROOT, "%d records produced by %d apps in %d s%s; processor: kept %d, dropped %d %s; "
                        + "in ClickHouse %d rows. Policy change at %.0f s: tagpipe %s.",
                end.produced() - floodRecords,
                appCount, s.duration().toSeconds(), flood, end.kept(), end.dropped(), end.droppedByReason(), end.stored(), changeAt,
                String.join(" ", DemoPolicies.changeArgs()));
        Path html = s.workDir().resolve("report.html");
        Files.writeString(html, HtmlReport.render("tagpipe demo, " + begin, summary, table, report, tally.timeline(),
                tally.bucketMillis(), markers(changeAt, overload)));
        out.println();
        out.println(summary);
        out.println("HTML report with a chart per app: " + html.toAbsolutePath());
        out.flush();
        return new DemoResult(report, html, end, services.bootstrapServers(), services.clickhouseUrl(),
                services.clickhouseTcpPort(), services.clusterName(), changeAt);
    }

    private static List<HtmlReport.Marker> markers(double changeAt, OverloadPhase.Result overload) {
        List<HtmlReport.Marker> m = new ArrayList<>(List.of(new HtmlReport.Marker(changeAt, DemoPolicies.CHANGED_APP + " → low")));
        if (overload != null) {
            m.add(new HtmlReport.Marker(overload.startSeconds(), "overload: ClickHouse at "
                    + Math.round(OverloadPhase.CPU_SHARE * 100) + " % CPU, flood"));
            m.add(new HtmlReport.Marker(overload.endSeconds(), "flood stops (max level " + overload.maxLevel() + ")"));
        }
        return m;
    }

    private ProcessorApp startProcessor(String bootstrap) throws IOException, InterruptedException {
        Path streamsConfig = s.workDir().resolve("streams.properties");
        Properties p = new Properties();
        p.setProperty("state.dir", s.workDir().resolve("streams-state").toString());
        try (var w = Files.newBufferedWriter(streamsConfig)) {
            p.store(w, "tagpipe demo: Kafka Streams state under the work dir");
        }
        ProcessorSettings settings = ProcessorSettings.of(ClientConfig.of(bootstrap, null), PROCESSOR_ID, streamsConfig)
                .withStatsInterval(Duration.ofSeconds(1)); // smooth 5 s chart buckets
        ProcessorApp app = new ProcessorApp(settings);
        app.start();
        if (!app.awaitRunning(Duration.ofMinutes(2))) {
            app.close(Duration.ofSeconds(10));
            throw new IllegalStateException("the processor did not reach RUNNING (state " + app.state() + ")");
        }
        out.println("  running, policies loaded: " + app.policies().keySet());
        return app;
    }

    /** Runs a {@code tagpipe} command line in this JVM, exactly as typed, its output indented. */
    private void cli(List<String> args, String bootstrap) {
        List<String> full = new ArrayList<>(args);
        full.add("--bootstrap-servers");
        full.add(bootstrap);
        StringWriter buf = new StringWriter();
        var cmd = Tagpipe.commandLine();
        cmd.setOut(new PrintWriter(buf, true));
        cmd.setErr(new PrintWriter(buf, true));
        int rc = cmd.execute(full.toArray(String[]::new));
        out.print(indent(buf.toString()));
        if (rc != 0) {
            throw new IllegalStateException("tagpipe " + String.join(" ", args) + " failed with exit code " + rc);
        }
    }

    private String pythonOrNull() {
        Optional<String> python = PythonCheck.find();
        if (python.isEmpty()) {
            out.println("  note: skipping the Python sample app: " + PythonCheck.HINT);
        }
        return python.orElse(null);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Properties adminProps(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    private void sleepUntil(long millis) throws InterruptedException {
        long wait = millis - clock.millis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private void phase(String name, String what) {
        phase = name;
        out.println("== " + name + ": " + what);
        out.flush();
    }

    private <T extends AutoCloseable> T push(T resource) {
        synchronized (started) {
            started.push(resource);
        }
        return resource;
    }

    static String indent(String text) {
        return text.isEmpty() ? "" : text.lines().map(l -> "  " + l).reduce("", (a, l) -> a + l + "\n");
    }

    /** Stops everything this demo started, newest first; safe to call twice and from a shutdown hook. */
    @Override
    public void close() {
        synchronized (started) {
            if (closed) {
                return;
            }
            closed = true;
            while (!started.isEmpty()) {
                AutoCloseable r = started.pop();
                try {
                    if (r instanceof ProcessorApp p) {
                        p.close(Duration.ofSeconds(30));
                    } else {
                        r.close();
                    }
                } catch (Exception e) {
                    out.println("  (while stopping " + r.getClass().getSimpleName() + ": " + e.getMessage() + ")");
                }
            }
        }
        out.println("tagpipe demo: everything it started is stopped");
        out.flush();
    }
}
