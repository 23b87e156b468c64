package io.tagpipe.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A current ClickHouse <b>engine</b> for tests and the demo: chDB ({@code libchdb.so}, ClickHouse 26.7,
 * from npm's {@code chdb} package) in a child JVM behind {@link ChdbHttpFront}, a loopback front that
 * speaks the part of ClickHouse's HTTP interface tagpipe uses. It runs the current dialect for real
 * (TTL, {@code DateTime64}, {@code Map}, {@code LowCardinality}) and enforces a current server's
 * guards (e.g. {@code max_partitions_per_insert_block}); it is not a server product (one query at a
 * time, no replication, no users beyond the two the tests know).
 *
 * <p>Being a process, it can be stopped, killed and frozen like {@link ClickHouseServer}.
 * {@code ./tagpipe test} installs the package into {@link #installDir()}.
 */
public final class ChdbEngine extends ClickHouse {
    /** The npm package version; {@code ./tagpipe} installs the same one. */
    public static final String PACKAGE_VERSION = "3.4.0";
    private static final String LIBRARY = "node_modules/@chdb/lib-linux-x64-gnu/libchdb.so";

    private final Path library;
    private boolean threadsReported;

    private ChdbEngine(Path dir, Path library) {
        super(dir);
        this.library = library;
    }

    /** Starts the engine on the data dir {@code dir/data}; fails with an install hint if the library is absent. */
    public static ChdbEngine start(Path dir) {
        Path lib = locate().orElseThrow(() -> new IllegalStateException(
                "chDB (the current ClickHouse engine used by the tests) is not installed: no " + installDir()
                        .resolve(LIBRARY) + ". ./tagpipe test and ./tagpipe demo --clickhouse current install it; "
                        + "by hand: npm install --prefix " + installDir() + " chdb@" + PACKAGE_VERSION
                        + " (needs Node.js's npm: apt-get install -y npm), or set TAGPIPE_CHDB_LIB to a libchdb.so."));
        try {
            Files.createDirectories(dir.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChdbEngine e = new ChdbEngine(dir, lib);
        e.start();
        return e;
    }

    /** {@code $TAGPIPE_CHDB_LIB}, else the library under {@link #installDir()}. */
    public static Optional<Path> locate() {
        String explicit = System.getenv("TAGPIPE_CHDB_LIB");
        Path lib = explicit != null && !explicit.isBlank() ? Path.of(explicit) : installDir().resolve(LIBRARY);
        return Files.isRegularFile(lib) ? Optional.of(lib) : Optional.empty();
    }

    /** {@code ${XDG_CACHE_HOME:-~/.cache}/tagpipe/chdb-VERSION}: shared by every checkout of the machine. */
    public static Path installDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("tagpipe").resolve("chdb-" + PACKAGE_VERSION);
    }

    @Override
    public String name() {
        return "ClickHouse 26.7 engine (chDB)";
    }

    @Override
    protected List<String> command() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ChdbHttpFront.class.getName(), library.toString(), dir().resolve("data").toString(),
                Integer.toString(httpPort()));
    }

    @Override
    protected String logHint() {
        return dir().resolve("stdout.log").toString();
    }

    @Override
    protected String lastLogLines() {
        return tail(dir().resolve("stdout.log"), 25);
    }

    /**
     * The end of its log and, once per engine, where its front's threads stand (a hung engine answers
     * nothing, and its temp dir is gone after the test): {@code jcmd PID Thread.print}, the threads
     * running tagpipe's front or chDB. Not while the process is stopped (SIGSTOP): jcmd cannot attach.
     */
    @Override
    protected synchronized String hangReport() {
        String report = lastLogLines();
        long pid = pid();
        if (threadsReported || pid < 0 || stopped(pid)) {
            return report;
        }
        threadsReported = true;
        return report + "\n--- threads of the engine's JVM in tagpipe's front or chDB (jcmd " + pid + " Thread.print) ---\n"
                + frontThreads(pid);
    }

    private static boolean stopped(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private String frontThreads(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Path out = dir().resolve("threads.txt");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) { // an attach can hang: bounded
                p.destroyForcibly();
                return "(jcmd did not finish in 10 s)";
            }
            List<String> kept = new ArrayList<>();
            for (String thread : Files.readString(out).split("\n\n")) {
                if (thread.contains("io.tagpipe.testkit") || thread.toLowerCase(Locale.ROOT).contains("chdb")) {
                    kept.add(thread);
                }
            }
            String threads = String.join("\n\n", kept);
            return threads.length() > 8_000 ? threads.substring(0, 8_000) + "\n…" : threads;
        } catch (IOException e) {
            return "(no thread dump: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }
}
