package io.tagpipe.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code zookeeper} package (3.8 here) as a standalone server process on a free loopback
 * port with a throw-away data dir, for ClickHouse replication ({@link ClickHouseCluster}). The
 * packaged {@code zkServer.sh} does not take a custom config dir, so the server's main class is run
 * from the package's jars (their manifest names the dependencies).
 */
public final class ZooKeeper implements AutoCloseable {
    private static final Path JARS = Path.of(System.getenv().getOrDefault("TAGPIPE_ZOOKEEPER_JARS", "/usr/share/java"));

    private final Path dir;
    private final int port;
    private Process process;

    private ZooKeeper(Path dir) {
        this.dir = dir;
        this.port = KafkaBroker.freePort();
    }

    /** Writes {@code zoo.cfg} under {@code dir} and starts the server; fails with an install hint if absent. */
    public static ZooKeeper start(Path dir) {
        if (!Files.isRegularFile(JARS.resolve("zookeeper.jar"))) {
            throw new IllegalStateException("ZooKeeper is not installed (no " + JARS.resolve("zookeeper.jar")
                    + "). Install Debian's package: 'apt-get install -y zookeeper' (./tagpipe test does this itself "
                    + "when run as root), or set TAGPIPE_ZOOKEEPER_JARS to a directory holding zookeeper.jar.");
        }
        ZooKeeper zk = new ZooKeeper(dir);
        zk.startProcess();
        return zk;
    }

    /** {@code 127.0.0.1:PORT}. */
    public String connectString() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    private void startProcess() {
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("zoo.cfg"), """
                    tickTime=500
                    initLimit=10
                    syncLimit=5
                    dataDir=%s
                    clientPort=%d
                    clientPortAddress=127.0.0.1
                    admin.enableServer=false
                    maxClientCnxns=0
                    """.formatted(dir.resolve("data").toAbsolutePath(), port));
            List<String> cp = new ArrayList<>(List.of(JARS.resolve("zookeeper.jar").toString()));
            for (String extra : List.of("slf4j-simple.jar", "netty-codec.jar", "netty-resolver.jar",
                    "netty-transport-native-unix-common.jar")) {
                if (Files.isRegularFile(JARS.resolve(extra))) {
                    cp.add(JARS.resolve(extra).toString());
                }
            }
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-Dzookeeper.4lw.commands.whitelist=ruok,srvr",
                    "-cp", String.join(":", cp), "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                    dir.resolve("zoo.cfg").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("zookeeper.log").toFile()))
                    .start();
            Process p = process;
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "zookeeper-killer"));
            awaitServing(Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start ZooKeeper", e);
        }
    }

    private void awaitServing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ZooKeeper exited with " + process.exitValue() + "; see "
                        + dir.resolve("zookeeper.log"));
            }
            // 'imok' only says the process is up; 'srvr' names a mode once it serves sessions (a clickhouse-server
            // that connected before that got 'Cannot read all data … while receiving handshake' and, on 18.16,
            // crashed at its first ON CLUSTER query)
            String srvr = fourLetterWord("srvr");
            if (srvr != null && srvr.contains("Mode: ")) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("ZooKeeper did not serve ('srvr' without a mode) within " + timeout + "; see "
                + dir.resolve("zookeeper.log"));
    }

    /** ZooKeeper's admin words ({@code ruok}, {@code srvr}); null while it does not answer. */
    public String fourLetterWord(String word) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
    }

    /** SIGTERM and wait. */
    @Override
    public synchronized void close() {
        Process p = process;
        process = null;
        if (p != null) {
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
