package io.tagpipe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import io.tagpipe.testkit.KafkaBroker;

/** The testkit broker as a child JVM ({@link BrokerMain}); {@link #stop()} is a clean broker shutdown. */
public final class BrokerProcess implements AutoCloseable {
    private final Process process;
    private final String bootstrap;

    private BrokerProcess(Process process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    public static BrokerProcess start(Path dir, String heap) {
        return start(dir, heap, dir.resolve("broker.err"));
    }

    /** {@code log}: where the broker JVM's own output (stderr) goes. */
    public static BrokerProcess start(Path dir, String heap, Path log) {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx" + heap, "-XX:+UseG1GC",
                "-Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), BrokerMain.class.getName(), dir.toString()));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "broker-killer"));
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("BOOTSTRAP ")) {
                    return new BrokerProcess(p, line.substring("BOOTSTRAP ".length()).trim());
                }
            }
            throw new IllegalStateException("broker JVM exited with " + p.waitFor() + "; see " + log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public long pid() {
        return process.pid();
    }

    /** Creates a topic and waits for its partition leaders (KAFKA-15591). */
    public static void createTopic(String bootstrap, String name, int partitions, Map<String, String> configs) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
            KafkaBroker.awaitLeaders(admin, List.of(name), java.time.Duration.ofSeconds(60));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
