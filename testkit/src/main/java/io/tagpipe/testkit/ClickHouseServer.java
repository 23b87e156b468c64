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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code clickhouse-server} process on free loopback ports with its own throw-away data dir.
 *
 * <p>{@link #stop()}/{@link #start()} keep the data dir and ports (a real server restart);
 * {@link #pause()}/{@link #resume()} freeze the process (SIGSTOP/SIGCONT) to make it "slow".
 * A shutdown hook kills the process if the JVM exits without {@link #close()}.
 */
public final class ClickHouseServer implements AutoCloseable {
    /** A second user with a password (the {@code default} user has none), for credential tests. */
    public static final String SECURED_USER = "tagpipe_secured";
    public static final String SECURED_PASSWORD = "Pw-7f3c9e1b-do-not-print";
    private static final List<String> SEARCH_PATH = List.of("/usr/bin", "/usr/sbin", "/usr/local/bin");

    private final Path dir;
    private final Path binary;
    private final int httpPort;
    private final int tcpPort;
    private final int interserverPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Process process;

    private ClickHouseServer(Path dir, Path binary) {
        this.dir = dir;
        this.binary = binary;
        this.httpPort = KafkaBroker.freePort();
        this.tcpPort = KafkaBroker.freePort();
        this.interserverPort = KafkaBroker.freePort();
    }

    /** Writes a config under {@code dir} and starts the server; fails with an install hint if absent. */
    public static ClickHouseServer start(Path dir) {
        ClickHouseServer s = new ClickHouseServer(dir, locate().orElseThrow(() -> new IllegalStateException(
                "clickhouse-server is not installed. Install Debian's package: "
                        + "'apt-get install -y clickhouse-server clickhouse-client' "
                        + "(./tagpipe test and ./tagpipe demo do this themselves when run as root), "
                        + "or point tagpipe at an existing server with --clickhouse-url.")));
        s.writeConfig();
        s.start();
        return s;
    }

    public static Optional<Path> locate() {
        String path = System.getenv().getOrDefault("PATH", "");
        return java.util.stream.Stream.concat(List.of(path.split(":")).stream(), SEARCH_PATH.stream())
                .filter(p -> !p.isEmpty())
                .map(p -> Path.of(p, "clickhouse-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** HTTP endpoint, e.g. {@code http://127.0.0.1:34567}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int tcpPort() {
        return tcpPort;
    }

    public Path dir() {
        return dir;
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Process p = new ProcessBuilder(binary.toString(), "--config-file=" + dir.resolve("config.xml"))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
            process = p;
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "clickhouse-killer"));
            awaitPing(p, Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
    }

    /** SIGTERM and wait: a clean server stop. */
    public void stop() {
        stop(Duration.ofSeconds(60));
    }

    /**
     * SIGTERM, then SIGKILL if the server is still there after {@code grace}. ClickHouse 18.16 takes
     * 10–25 s to exit on SIGTERM, serving meanwhile; a fault test that wants an outage now says so.
     */
    public synchronized void stop(Duration grace) {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        resumeQuietly(p);
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL: the server dies as in a crash. */
    public synchronized void kill() {
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
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    @Override
    public void close() {
        stop();
    }

    /** Runs one statement over HTTP and returns the body (TabSeparated by default); throws on error. */
    public String query(String sql) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/"))
                            .timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() != 200) {
                throw new IllegalStateException("ClickHouse HTTP " + r.statusCode() + " for [" + sql + "]: " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException("ClickHouse at " + url() + " unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Convenience for single-number queries such as {@code SELECT count() FROM t}. */
    public long queryLong(String sql) {
        return Long.parseLong(query(sql).trim());
    }

    private void signal(String sig) {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException("clickhouse-server is not running");
        }
        try {
            new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void resumeQuietly(Process p) {
        try {
            new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor();
        } catch (IOException | InterruptedException ignored) {
            // best effort: a stopped process must be continued before SIGTERM can be handled
        }
    }

    private void awaitPing(Process p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("clickhouse-server exited with " + p.exitValue()
                        + "; see " + dir.resolve("server.err.log") + " and " + dir.resolve("stdout.log"));
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
        throw new IllegalStateException("clickhouse-server did not answer /ping within " + timeout);
    }

    private void writeConfig() {
        try {
            for (String d : List.of("data", "tmp", "user_files", "format_schemas")) {
                Files.createDirectories(dir.resolve(d));
            }
            Files.writeString(dir.resolve("config.xml"), """
                    <?xml version="1.0"?>
                    <yandex>
                      <logger><level>warning</level><log>%1$s/server.log</log><errorlog>%1$s/server.err.log</errorlog>
                        <size>100M</size><count>1</count></logger>
                      <http_port>%2$d</http_port>
                      <tcp_port>%3$d</tcp_port>
                      <interserver_http_port>%4$d</interserver_http_port>
                      <listen_host>127.0.0.1</listen_host>
                      <path>%1$s/data/</path>
                      <tmp_path>%1$s/tmp/</tmp_path>
                      <user_files_path>%1$s/user_files/</user_files_path>
                      <format_schema_path>%1$s/format_schemas/</format_schema_path>
                      <users_config>users.xml</users_config>
                      <default_profile>default</default_profile>
                      <default_database>default</default_database>
                      <mark_cache_size>268435456</mark_cache_size>
                      <max_concurrent_queries>100</max_concurrent_queries>
                      <kafka><auto_offset_reset>smallest</auto_offset_reset></kafka>
                    </yandex>
                    """.formatted(dir.toAbsolutePath(), httpPort, tcpPort, interserverPort));
            Files.writeString(dir.resolve("users.xml"), """
                    <?xml version="1.0"?>
                    <yandex>
                      <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
                      <users><default><password></password><networks><ip>::/0</ip></networks>
                        <profile>default</profile><quota>default</quota></default>
                        <%1$s><password>%2$s</password><networks><ip>::/0</ip></networks>
                        <profile>default</profile><quota>default</quota></%1$s></users>
                      <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
                        <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
                      </interval></default></quotas>
                    </yandex>
                    """.formatted(SECURED_USER, SECURED_PASSWORD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
