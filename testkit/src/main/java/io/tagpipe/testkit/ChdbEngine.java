package io.tagpipe.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
}
