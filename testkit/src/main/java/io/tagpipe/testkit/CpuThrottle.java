package io.tagpipe.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Makes a process really slow by starving it of CPU, so that a database under test is overloaded
 * the way a busy production server is (not by a flag in our code). Two ways, best first:
 * <ul>
 * <li><b>cgroup</b> (root): the process joins a fresh cgroup whose CPU quota is {@code share} of one
 *     core (v1 {@code cpu.cfs_quota_us}/{@code cpu.cfs_period_us}, or v2 {@code cpu.max}); all its
 *     threads follow, also those it starts later;</li>
 * <li><b>SIGSTOP cycle</b> (any user, own processes): every 100 ms the process runs
 *     {@code share} × 100 ms and is stopped for the rest. Coarser: a query arriving while it is
 *     stopped waits up to 100 ms.</li>
 * </ul>
 * {@link #close()} lets the process run freely again (leaves and removes the cgroup, or stops
 * cycling and sends SIGCONT).
 */
public final class CpuThrottle implements AutoCloseable {
    private static final Path V1 = Path.of("/sys/fs/cgroup/cpu");
    private static final Path V2 = Path.of("/sys/fs/cgroup");
    private static final AtomicLong SEQ = new AtomicLong();
    private static final long PERIOD_US = 100_000;

    private final long pid;
    private final Path group; // null: SIGSTOP cycle
    private final Path home;
    private final Thread cycler;
    private volatile double share;
    private volatile boolean closed;

    private CpuThrottle(long pid, Path group, Path home, double share) {
        this.pid = pid;
        this.group = group;
        this.home = home;
        this.share = share;
        this.cycler = group == null ? startCycle() : null;
    }

    /**
     * Limits {@code pid} to {@code share} (0 &lt; share ≤ 1) of one core, with a cgroup when this
     * process may create one, else by SIGSTOP cycling.
     */
    public static CpuThrottle limit(long pid, double share) {
        check(share);
        String why = cgroupUnavailable();
        if (why == null) {
            try {
                return cgroup(pid, share);
            } catch (UncheckedIOException e) {
                why = e.getMessage();
            }
        }
        System.err.println("[testkit] no cgroup CPU limit (" + why + "): stopping and continuing pid " + pid
                + " instead (SIGSTOP cycle, " + Math.round(share * 100) + " % of each 100 ms)");
        return new CpuThrottle(pid, null, null, share);
    }

    /** Null when a cgroup CPU limit can be set up here, else why not. */
    public static String cgroupUnavailable() {
        if (Files.exists(V1.resolve("cpu.cfs_quota_us"))) {
            return Files.isWritable(V1) ? null : "cannot write " + V1 + " (needs root)";
        }
        Path controllers = V2.resolve("cgroup.controllers");
        try {
            if (Files.exists(controllers) && Files.readString(controllers).contains("cpu")) {
                return Files.isWritable(V2) ? null : "cannot write " + V2 + " (needs root)";
            }
        } catch (IOException e) {
            return "cannot read " + controllers + ": " + e.getMessage();
        }
        return "no cgroup cpu controller (v1 " + V1 + " or v2 " + V2 + "/cpu.max)";
    }

    /** Limits {@code pid} by SIGSTOP cycling even where a cgroup could be used. */
    public static CpuThrottle cycle(long pid, double share) {
        check(share);
        return new CpuThrottle(pid, null, null, share);
    }

    /** How this throttle works, for logs. */
    public String how() {
        return group == null ? "SIGSTOP cycle" : "cgroup " + group;
    }

    /** Changes the limit; {@code share} as in {@link #limit}. */
    public void set(double share) {
        check(share);
        this.share = share;
        if (group != null) {
            writeQuota(group, share);
        }
    }

    public double share() {
        return share;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (group == null) {
            cycler.interrupt();
            try {
                cycler.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Libc.INSTANCE.kill((int) pid, Libc.SIGCONT);
            return;
        }
        try {
            if (ProcessHandle.of(pid).isPresent()) {
                Files.writeString(home.resolve("cgroup.procs"), Long.toString(pid));
            }
            // threads leave with the process; the directory can go once it is empty
            for (int i = 0; i < 50; i++) {
                try {
                    Files.delete(group);
                    return;
                } catch (IOException e) {
                    Thread.sleep(100);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release pid " + pid + " from " + group, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CpuThrottle cgroup(long pid, double share) {
        boolean v1 = Files.exists(V1.resolve("cpu.cfs_quota_us"));
        Path home = v1 ? V1 : V2;
        Path group = home.resolve("tagpipe-throttle-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet());
        try {
            if (!v1) {
                Files.writeString(V2.resolve("cgroup.subtree_control"), "+cpu");
            }
            Files.createDirectory(group);
            writeQuota(group, share);
            Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid));
        } catch (IOException e) {
            try {
                Files.deleteIfExists(group);
            } catch (IOException ignored) {
                // nothing joined it
            }
            throw new UncheckedIOException("cannot set up " + group + ": " + e.getMessage(), e);
        }
        return new CpuThrottle(pid, group, home, share);
    }

    private static void writeQuota(Path group, double share) {
        long quota = Math.max(1_000, Math.round(share * PERIOD_US));
        try {
            if (Files.exists(group.resolve("cpu.cfs_quota_us"))) {
                Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
                Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(quota));
            } else {
                Files.writeString(group.resolve("cpu.max"), quota + " " + PERIOD_US);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CPU quota of " + group + ": " + e.getMessage(), e);
        }
    }

    private Thread startCycle() {
        Thread t = new Thread(() -> {
            try {
                while (!closed) {
                    long run = Math.max(1, Math.round(share * PERIOD_US / 1000));
                    Thread.sleep(run);
                    if (run < PERIOD_US / 1000) {
                        Libc.INSTANCE.kill((int) pid, Libc.SIGSTOP);
                        Thread.sleep(PERIOD_US / 1000 - run);
                        Libc.INSTANCE.kill((int) pid, Libc.SIGCONT);
                    }
                }
            } catch (InterruptedException e) {
                // closed
            } finally {
                Libc.INSTANCE.kill((int) pid, Libc.SIGCONT);
            }
        }, "cpu-throttle-" + pid);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void check(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "CPU share must be in (0, 1], got %s", share));
        }
    }

    private interface Libc extends Library {
        Libc INSTANCE = Native.load("c", Libc.class);
        int SIGCONT = 18;
        int SIGSTOP = 19;

        int kill(int pid, int sig);
    }
}
