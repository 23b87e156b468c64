package io.tagpipe.dev.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The sample apps' processes: started with their output in the work dir, destroyed on close. */
final class RunningApps implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final List<SampleApp> apps;

    private RunningApps(List<SampleApp> apps) {
        this.apps = apps;
    }

    static RunningApps start(List<SampleApp> apps, Path logDir, Path workingDir) {
        RunningApps running = new RunningApps(apps);
        try {
            Files.createDirectories(logDir);
            for (SampleApp app : apps) {
                ProcessBuilder pb = new ProcessBuilder(app.command()).directory(workingDir.toFile())
                        .redirectErrorStream(true).redirectOutput(logDir.resolve(app.label() + ".log").toFile());
                pb.environment().putAll(app.env());
                running.processes.add(pb.start());
            }
        } catch (IOException e) {
            running.close();
            throw new UncheckedIOException("cannot start a sample app", e);
        }
        return running;
    }

    long alive() {
        return processes.stream().filter(Process::isAlive).count();
    }

    /** Waits for every app to end by itself; true if they all did in time. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Process p : processes) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    /** SIGTERM to one app (its collector's shutdown hook flushes), then waits for it to exit. */
    void stop(String label) throws InterruptedException {
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            if (apps.get(i).label().equals(label) && p.isAlive()) {
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** Exit codes by label, for apps that ended (-1 while running). */
    List<String> exitSummary() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            out.add(apps.get(i).label() + "=" + (p.isAlive() ? "running" : "exit " + p.exitValue()));
        }
        return out;
    }

    @Override
    public void close() {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
