package io.tagpipe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A busy-looping process gets at most about its share of a core while throttled, and runs freely after. */
class CpuThrottleIT {
    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux
    private Process busy;

    @BeforeEach
    void startBusyLoop() throws Exception {
        busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
    }

    @AfterEach
    void stop() {
        busy.destroyForcibly();
    }

    @Test
    void aCgroupHoldsAProcessToItsShare() throws Exception {
        String why = CpuThrottle.cgroupUnavailable();
        assumeTrue(why == null, "cgroup throttling not possible here: " + why);
        try (CpuThrottle t = CpuThrottle.limit(busy.pid(), 0.05)) {
            assertThat(t.how()).startsWith("cgroup");
            assertThat(coresUsedOver(2_000)).isLessThan(0.12);
        }
        assertThat(coresUsedOver(2_000)).as("free again after close").isGreaterThan(0.2);
    }

    @Test
    void aSigstopCycleHoldsAProcessToItsShare() throws Exception {
        try (CpuThrottle t = CpuThrottle.cycle(busy.pid(), 0.05)) {
            assertThat(t.how()).isEqualTo("SIGSTOP cycle");
            assertThat(coresUsedOver(2_000)).isLessThan(0.15);
        }
        assertThat(coresUsedOver(2_000)).as("free again after close").isGreaterThan(0.2);
    }

    /** Cores the busy process used on average over the next {@code ms}, from /proc/PID/stat. */
    private double coresUsedOver(long ms) throws Exception {
        long before = cpuTicks();
        Thread.sleep(ms);
        return (cpuTicks() - before) / (double) CLOCK_TICKS / (ms / 1000.0);
    }

    private long cpuTicks() throws Exception {
        String stat = Files.readString(Path.of("/proc/" + busy.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime (fields 14, 15)
    }
}
