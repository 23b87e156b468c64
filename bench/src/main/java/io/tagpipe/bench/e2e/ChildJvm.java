package io.tagpipe.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A bench program in its own JVM (same classpath as the bench), so its CPU, heap and RSS are its
 * own: {@code /proc/PID/status} and its {@code -Xlog:gc} file describe that program alone.
 */
public final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path gcLog;

    private ChildJvm(String name, Process process, Path gcLog) {
        this.name = name;
        this.process = process;
        this.gcLog = gcLog;
    }

    /** Starts {@code main} with {@code -Xmx heap}; stdout+stderr go to {@code dir/name.log}, GC log to {@code dir/name.gc.log}. */
    public static ChildJvm start(String name, Path dir, String heap, Class<?> main, List<String> args, Map<String, String> env) {
        Path gc = dir.resolve(name + ".gc.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseG1GC", "-Xlog:gc:file=" + gc,
                "-Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, name + "-killer"));
            return new ChildJvm(name, p, gc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    Path gcLog() {
        return gcLog;
    }

    /** One line to the program's stdin (its commands, e.g. {@link ProducerChild}'s). */
    void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " does not read its commands any more (exited?)", e);
        }
    }

    /** Waits for a normal exit; false if it was still running after {@code seconds} (then it is killed). */
    boolean awaitExit(long seconds) throws InterruptedException {
        if (process.waitFor(seconds, TimeUnit.SECONDS)) {
            return process.exitValue() == 0;
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return false;
    }

    /** SIGTERM (clean shutdown hooks), then a kill after 60 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            awaitExit(60);
        }
    }
}
