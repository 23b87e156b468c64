package io.tagpipe.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real ClickHouse for tests and the demo: a process of its own on a free loopback HTTP port with a
 * throw-away data dir. Two kinds exist: {@link ClickHouseServer} (Debian's {@code clickhouse-server},
 * 18.16 here) and {@link ChdbEngine} (a current ClickHouse engine, chDB, behind a loopback HTTP front).
 * Code under test reaches either one only through {@link #url()}.
 *
 * <p>{@link #stop()}/{@link #start()} keep the data dir and port (a restart); {@link #kill()} is a
 * crash (SIGKILL); {@link #pause()}/{@link #resume()} freeze the process (SIGSTOP/SIGCONT) to make it
 * "slow". A shutdown hook kills the process if the JVM exits without {@link #close()}.
 */
public abstract class ClickHouse implements AutoCloseable {
    private final Path dir;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Process process;

    protected ClickHouse(Path dir) {
        this.dir = dir;
        this.httpPort = KafkaBroker.freePort();
    }

    /** What this is, for test names and logs, e.g. {@code clickhouse-server 18.16}. */
    public abstract String name();

    /** The command line that starts the process (working dir = {@link #dir()}). */
    protected abstract List<String> command();

    /** Where to look when the process dies at start. */
    protected abstract String logHint();

    /** The end of the server's own logs, for the message of a server that died (its temp dir is gone after the test). */
    protected String lastLogLines() {
        return "";
    }

    /**
     * What a process that is alive but did not answer was doing, for the failure's message: the end
     * of its logs unless a subclass knows more.
     */
    protected String hangReport() {
        return lastLogLines();
    }

    /** The last {@code n} lines of {@code file} under a heading, or why it could not be read. */
    protected static String tail(Path file, int n) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return "\n--- last lines of " + file.getFileName() + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "\n(" + file.getFileName() + " unreadable: " + e.getMessage() + ')';
        }
    }

    /** HTTP endpoint, e.g. {@code http://127.0.0.1:34567}. */
    public final String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public final int httpPort() {
        return httpPort;
    }

    public final Path dir() {
        return dir;
    }

    /** The OS process id, e.g. to put the server into a CPU-limited cgroup; -1 when not running. */
    public final long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    public final synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Process p = new ProcessBuilder(command())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                    .start();
            process = p;
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "clickhouse-killer"));
            awaitPing(p, Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name(), e);
        }
    }

    /** SIGTERM and wait: a clean stop. */
    public final void stop() {
        stop(Duration.ofSeconds(60));
    }

    /**
     * SIGTERM, then SIGKILL if the process is still there after {@code grace}. ClickHouse 18.16 takes
     * 10–25 s to exit on SIGTERM, serving meanwhile; a fault test that wants an outage now says so.
     */
    public final synchronized void stop(Duration grace) {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        signal(p, "CONT"); // a stopped process must be continued before SIGTERM can be handled
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL: the process dies as in a crash. */
    public final synchronized void kill() {
        Process p = process;
        process = null;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGSTOP: connections hang, as with an overloaded server. */
    public final void pause() {
        signal(running(), "STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public final void resume() {
        signal(running(), "CONT");
    }

    public final boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    @Override
    public void close() {
        stop();
    }

    /** Runs one statement over HTTP and returns the body (TabSeparated by default); throws on error. */
    public final String query(String sql) {
        try {
            HttpResponse<String> r = send(sql);
            if (r.statusCode() != 200) {
                throw new IllegalStateException(name() + " HTTP " + r.statusCode() + " for [" + sql + "]: " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            // the process may have died or hung: say which, and what it logged (a test's temp dir is gone afterwards)
            boolean alive = isRunning();
            throw new UncheckedIOException(name() + " at " + url() + " unreachable"
                    + (alive ? " (the process is alive)" : " (the process has exited)") + "; see " + logHint()
                    + (alive ? hangReport() : lastLogLines()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String sql) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + "/")).timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Convenience for single-number queries such as {@code SELECT count() FROM t}. */
    public final long queryLong(String sql) {
        return Long.parseLong(query(sql).trim());
    }

    /** {@code SELECT version()}, e.g. {@code 18.16.1} or {@code 26.7.2.1}. */
    public final String version() {
        return query("SELECT version()").trim();
    }

    @Override
    public String toString() {
        return name();
    }

    private Process running() {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException(name() + " is not running");
        }
        return p;
    }

    private static void signal(Process p, String sig) {
        try {
            new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitPing(Process p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name() + " exited with " + p.exitValue() + "; see " + logHint());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/ping"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name() + " did not answer /ping within " + timeout + "; see " + logHint());
    }
}
