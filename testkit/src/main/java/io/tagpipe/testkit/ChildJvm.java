package io.tagpipe.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code main} class run in its own JVM on this JVM's classpath, so a test can {@code kill -9}
 * it for real. Output (stdout + stderr) goes to a log file the test can read while it runs.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} with {@code args}; {@code env} is added to this JVM's environment,
     * {@code jvmOptions} come before the class name (e.g. {@code -Xmx256m}).
     */
    public static ChildJvm start(String mainClass, List<String> args, Map<String, String> env,
                                 List<String> jvmOptions, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "child-jvm-killer"));
            return new ChildJvm(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the child printed so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public Path log() {
        return log;
    }

    /** SIGKILL and wait: no shutdown hook, no flush, no commit. */
    public void kill9() {
        process.destroyForcibly();
        waitFor(30);
    }

    /** SIGTERM and wait up to {@code seconds}; returns the exit code, or -1 if it still runs. */
    public int terminate(int seconds) {
        process.destroy();
        return waitFor(seconds) ? process.exitValue() : -1;
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Kills the child if it still runs (a test's cleanup). */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }
}
