package io.tagpipe.dev;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.tagpipe.dev.demo.ClusterShape;
import io.tagpipe.dev.demo.Demo;
import io.tagpipe.dev.demo.DemoResult;
import io.tagpipe.dev.demo.DemoSettings;
import io.tagpipe.sink.ClickHouseUrl;
import io.tagpipe.sink.SinkConfig;
import io.tagpipe.testkit.TempDirs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tagpipe demo}: parses flags, runs {@link Demo}, stops everything on exit or Ctrl-C. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The whole pipeline on this machine: embedded Kafka, ClickHouse, processor, sink, sample apps "
                + "(4 JVMs + 1 Python), a policy change midway, progress, and a per-app report + HTML chart at the end.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--duration", defaultValue = "90", description = "seconds the sample apps run (default ${DEFAULT-VALUE})")
    long durationSeconds;

    @Option(names = "--work-dir", defaultValue = ".tagpipe", description = "broker/ClickHouse data, app logs, report.html (default ./${DEFAULT-VALUE})")
    Path workDir;

    @Option(names = "--clean", description = "wipe the work dir first")
    boolean clean;

    @Option(names = "--keep-running", description = "leave Kafka, ClickHouse, processor and sink up after the report (Ctrl-C stops them)")
    boolean keepRunning;

    @Option(names = "--clickhouse-url", description = "use this ClickHouse instead of starting a local clickhouse-server: "
            + "http(s)://host:port or jdbc:clickhouse://host:port[/database][?ssl=true] "
            + "(user from --clickhouse-user, password from TAGPIPE_CLICKHOUSE_PASSWORD[_FILE])")
    String clickhouseUrl;

    @Option(names = "--clickhouse", paramLabel = "legacy|current",
            description = "which local ClickHouse to start: legacy = Debian's clickhouse-server (18.16 here), current = "
                    + "ClickHouse 26.7 as an engine (chDB, installed by ./tagpipe from npm) behind a loopback HTTP front "
                    + "(default legacy; not with --clickhouse-url)")
    String localClickhouse;

    @Option(names = "--cluster", paramLabel = "SHARDSxREPLICAS",
            description = "start a local ClickHouse cluster instead of one server: Debian's zookeeper and SHARDS x REPLICAS "
                    + "clickhouse-server processes (18.16; e.g. 2x1, 1x2, 2x2; each 1.." + ClusterShape.MAX + "); the sink "
                    + "writes in its cluster layout (Replicated tables + Distributed by Kafka partition, insert quorum), "
                    + "the end check and report run over the cluster, and the demo prints what each server holds "
                    + "(not with --clickhouse-url or --clickhouse current; no overload phase)")
    String cluster;

    @Option(names = "--clickhouse-user", defaultValue = "${env:TAGPIPE_CLICKHOUSE_USER:-default}",
            description = "user for --clickhouse-url (env TAGPIPE_CLICKHOUSE_USER, default ${DEFAULT-VALUE})")
    String clickhouseUser;

    @Option(names = "--database", description = "ClickHouse database (default: the one a jdbc: --clickhouse-url names, else "
            + SinkConfig.DEFAULT_DATABASE + ")")
    String database;

    @Option(names = "--no-python", negatable = true, defaultValue = "true", description = "skip the Python sample app")
    boolean python;

    @Option(names = "--overload", defaultValue = "45", paramLabel = "SECONDS",
            description = "after the apps: starve the demo's own ClickHouse of CPU and flood it for this long, so the "
                    + "sink raises the pressure level and the processor sheds low apps (0 = skip; skipped with "
                    + "--clickhouse-url and --cluster; default ${DEFAULT-VALUE})")
    long overloadSeconds;

    @Option(names = "--overload-rate", defaultValue = "4000", paramLabel = "RECORDS_PER_S",
            description = "records/s of the overload flood (default ${DEFAULT-VALUE}: about twice what ClickHouse 18.16 "
                    + "stores here at 3 % of a core)")
    int overloadRate;

    @Option(names = "--progress-interval", defaultValue = "5", description = "seconds between progress lines (default ${DEFAULT-VALUE})")
    long progressSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DemoSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException | IllegalStateException e) {
            spec.commandLine().getErr().println("tagpipe demo: " + e.getMessage());
            return 2;
        }
        prepareWorkDir(settings, out);
        routeLogsToFile(settings.workDir().resolve("tagpipe-demo.log"), out);
        Demo demo = new Demo(settings, out, Clock.systemUTC());
        Thread hook = new Thread(demo::close, "tagpipe-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            DemoResult result = demo.run();
            if (keepRunning) {
                printHowToExplore(result, out);
                new CountDownLatch(1).await(); // until Ctrl-C: the hook stops everything
            }
            return 0;
        } catch (Exception e) {
            spec.commandLine().getErr().println("tagpipe demo failed in phase '" + demo.phase() + "': " + e.getMessage());
            return 1;
        } finally {
            demo.close();
            removeHook(hook);
        }
    }

    private DemoSettings settings() {
        Duration duration = Duration.ofSeconds(durationSeconds);
        if (localClickhouse != null && clickhouseUrl != null) {
            throw new IllegalArgumentException("--clickhouse starts a local ClickHouse, --clickhouse-url uses yours: "
                    + "give one of them");
        }
        String kind = localClickhouse == null ? "legacy" : localClickhouse;
        DemoSettings.LocalClickHouse local = switch (kind.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "legacy" -> DemoSettings.LocalClickHouse.LEGACY;
            case "current" -> DemoSettings.LocalClickHouse.CURRENT;
            default -> throw new IllegalArgumentException("--clickhouse must be legacy or current, not '" + localClickhouse + "'");
        };
        Optional<ClusterShape> shape = Optional.ofNullable(cluster).map(ClusterShape::parse);
        if (shape.isPresent() && (clickhouseUrl != null || local != DemoSettings.LocalClickHouse.LEGACY)) {
            throw new IllegalArgumentException("--cluster starts local clickhouse-server (18.16) processes: not with "
                    + (clickhouseUrl != null ? "--clickhouse-url" : "--clickhouse " + localClickhouse));
        }
        Optional<ClickHouseUrl> url = Optional.ofNullable(clickhouseUrl).map(ClickHouseUrl::parse);
        String db = url.map(u -> u.database(database, SinkConfig.DEFAULT_DATABASE))
                .orElse(database == null ? SinkConfig.DEFAULT_DATABASE : database);
        Path home = Path.of(System.getProperty("tagpipe.home", ".")).toAbsolutePath().normalize();
        String missing = io.tagpipe.dev.demo.SampleApp.missingJavaApps(home);
        if (missing != null) {
            throw new IllegalStateException(missing);
        }
        return new DemoSettings(home, workDir.toAbsolutePath().normalize(), duration, clean, keepRunning,
                url.map(ClickHouseUrl::httpUrl), local, clickhouseUser, SinkConfig.password(System.getenv()), db, python,
                duration.dividedBy(2), Duration.ofSeconds(Math.max(1, progressSeconds)), Duration.ofSeconds(overloadSeconds),
                overloadRate, shape);
    }

    /** Broker, Streams and sink logs go to a file: the screen is for the demo's own lines. */
    private static void routeLogsToFile(Path file, PrintWriter out) {
        if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
            System.setProperty("org.slf4j.simpleLogger.logFile", file.toString());
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
            out.println("tagpipe demo: logs of Kafka, the processor and the sink go to " + file);
        }
    }

    /** The demo always starts with an empty broker and ClickHouse; --clean also removes logs and old reports. */
    private static void prepareWorkDir(DemoSettings s, PrintWriter out) throws IOException {
        if (s.clean()) {
            deleteTree(s.workDir());
            out.println("tagpipe demo: wiped " + s.workDir());
        }
        for (String dir : new String[] {"kafka", "clickhouse", "zookeeper", "streams-state"}) {
            deleteTree(s.workDir().resolve(dir));
        }
        Files.createDirectories(s.workDir());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!TempDirs.deleteTree(dir)) {
            throw new IOException("could not delete " + dir + " (files in use or no permission)");
        }
    }

    private static void printHowToExplore(DemoResult r, PrintWriter out) {
        out.println();
        out.println("Still running (--keep-running); Ctrl-C stops everything. Explore:");
        if (r.clickhouseTcpPort() > 0) {
            out.println("  clickhouse-client --port " + r.clickhouseTcpPort() + " --query 'SELECT app, level, count() FROM tagpipe.logs GROUP BY app, level'");
        }
        out.println("  curl '" + r.clickhouseUrl() + "' --data-binary 'SELECT app, count() FROM tagpipe.logs GROUP BY app'");
        out.println("  ./tagpipe report --clickhouse-url " + r.clickhouseUrl()
                + (r.clickhouseCluster() == null ? "" : " --clickhouse-cluster " + r.clickhouseCluster()) + " --since 1h");
        out.println("  ./tagpipe policy list --bootstrap-servers " + r.bootstrapServers());
        out.println("  ./tagpipe policy set search-indexer --importance low --max-rate 200/s --bootstrap-servers " + r.bootstrapServers());
        out.println("  tail the kept lanes (needs the Kafka CLI tools): kafka-console-consumer.sh --bootstrap-server "
                + r.bootstrapServers() + " --include 'tagpipe\\.kept.*' --isolation-level read_committed --from-beginning");
        out.flush();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running
        }
    }
}
