package io.tagpipe.bench.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used so far (user + system), from {@code /proc/PID/stat}: the figure the
 * kernel keeps per process, so it holds for a child JVM, the broker and clickhouse-server alike.
 */
public final class ProcCpu {
    /** USER_HZ: the unit of utime/stime; 100 on every Linux the JDK runs on (getconf CLK_TCK). */
    static final long TICKS_PER_SECOND = 100;

    private ProcCpu() {
    }

    /**
     * utime + stime in nanoseconds from the text of {@code /proc/PID/stat}. The command name (field 2)
     * is in parentheses and may itself hold spaces and parentheses, so fields are counted from the last ')'.
     */
    public static long cpuNanos(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + abbreviate(stat));
        }
        String[] f = stat.substring(close + 1).trim().split("\\s+");
        if (f.length < 13) {
            throw new IllegalArgumentException("too few fields in /proc/PID/stat: " + abbreviate(stat));
        }
        // f[0] is field 3 (state); utime is field 14, stime field 15
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** CPU time of a running process; fails if it is gone (its time can no longer be read). */
    public static long cpuNanos(long pid) {
        try {
            return cpuNanos(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + " (exited?)", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
