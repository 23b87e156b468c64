package io.tagpipe.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of a child JVM: peak heap from its {@code -Xlog:gc} file (the largest heap occupancy a
 * collection started from — the heap never holds more than that between collections) and peak
 * RSS from {@code VmHWM} in {@code /proc/PID/status} (the kernel's high-water mark of resident memory).
 */
public final class JvmMemory {
    /** {@code 23M->4M(256M)}: used before, used after, committed. */
    private static final Pattern GC = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final Pattern HWM = Pattern.compile("(?m)^VmHWM:\\s+(\\d+) kB");

    /**
     * Peaks in MiB; NaN where unknown. {@code gcs} collections seen. {@code liveAfterFullGcMb}: the
     * largest heap left by a full collection (what was reachable then), NaN if none ran.
     */
    public record Peak(double heapUsedMb, double heapAfterGcMb, double heapCommittedMb, int gcs, double liveAfterFullGcMb) {
    }

    private JvmMemory() {
    }

    public static Peak fromGcLog(String log) {
        double before = Double.NaN;
        double after = Double.NaN;
        double committed = Double.NaN;
        double live = Double.NaN;
        int n = 0;
        for (String line : log.split("\n")) {
            Matcher m = GC.matcher(line);
            if (m.find()) {
                n++;
                before = max(before, mb(m.group(1), m.group(2)));
                after = max(after, mb(m.group(3), m.group(4)));
                committed = max(committed, mb(m.group(5), m.group(6)));
                if (line.contains("Pause Full")) {
                    live = max(live, mb(m.group(3), m.group(4)));
                }
            }
        }
        return new Peak(before, after, committed, n, live);
    }

    /**
     * Asks a running JVM for a full collection ({@code jcmd PID GC.run}), so its GC log shows what is
     * live at this moment; under a generous {@code -Xmx} young collections alone say little about it.
     */
    public static void fullGc(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(jcmd + " " + pid + " GC.run failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + jcmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Peak fromGcLog(Path file) {
        try {
            return fromGcLog(Files.exists(file) ? Files.readString(file) : "");
        } catch (IOException e) {
            return new Peak(Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN);
        }
    }

    /** VmHWM in MiB from the text of {@code /proc/PID/status}; NaN if absent. */
    public static double peakRssMb(String status) {
        Matcher m = HWM.matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
    }

    public static double peakRssMb(long pid) {
        try {
            return peakRssMb(Files.readString(Path.of("/proc", String.valueOf(pid), "status")));
        } catch (IOException e) {
            return Double.NaN; // exited, or not Linux
        }
    }

    private static double mb(String v, String unit) {
        double x = Double.parseDouble(v);
        return switch (unit) {
            case "K" -> x / 1024;
            case "G" -> x * 1024;
            default -> x;
        };
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Math.max(a, b);
    }
}
