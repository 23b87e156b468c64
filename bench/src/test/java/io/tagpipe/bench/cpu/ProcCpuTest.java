package io.tagpipe.bench.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ProcCpuTest {
    @Test
    void cpuTimeIsUtimePlusStimeInClockTicks() {
        // fields 14 (utime) = 250 and 15 (stime) = 30 ticks: 2.8 s at USER_HZ 100
        String stat = "4242 (java) S 1 4242 4242 0 -1 4194560 9000 0 0 0 250 30 0 0 20 0 57 0 1172099 3133440 363 0";
        assertThat(ProcCpu.cpuNanos(stat)).isEqualTo(2_800_000_000L);
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String stat = "77 (clickhouse-serv (x) y) R 1 77 77 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 1 1 1 0";
        assertThat(ProcCpu.cpuNanos(stat)).isEqualTo(100_000_000L);
    }

    @Test
    void somethingElseThanAStatLineIsAClearError() {
        assertThatThrownBy(() -> ProcCpu.cpuNanos("VmHWM: 1234 kB")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a /proc/PID/stat line");
        assertThatThrownBy(() -> ProcCpu.cpuNanos("1 (x) S 1 2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too few fields");
    }

    @Test
    void thisProcessHasUsedSomeCpuAndItsClockOnlyGrows() {
        long pid = ProcessHandle.current().pid();
        long a = ProcCpu.cpuNanos(pid);
        long spin = 0;
        for (long end = System.nanoTime() + 50_000_000L; System.nanoTime() < end; ) {
            spin++;
        }
        assertThat(spin).isPositive();
        assertThat(ProcCpu.cpuNanos(pid)).isGreaterThanOrEqualTo(a).isPositive();
    }

    @Test
    void perRecordAndPerSecondComeFromTheWindow() {
        CpuUse use = new CpuUse(Map.of("processor", 3_000_000_000L, "broker", 500_000_000L), 2_000_000_000L);
        assertThat(use.microsPerRecord("processor", 1_000_000)).isCloseTo(3.0, within(1e-9));
        assertThat(use.cores("processor")).isCloseTo(1.5, within(1e-9));
        assertThat(use.perSecond(1_000_000)).isCloseTo(500_000, within(1e-6));
        assertThat(use.microsPerRecord("broker", 0)).isNaN();
        assertThatThrownBy(() -> use.microsPerRecord("sink", 1)).hasMessageContaining("no CPU clock named sink");
    }

    @Test
    void aMeterTakesTheDifferenceOfEachClockOverItsWindow() {
        Thread worker = new Thread(() -> {
            long x = 0;
            for (long end = System.nanoTime() + 100_000_000L; System.nanoTime() < end; ) {
                x += end % 7;
            }
            if (x == 42) {
                System.out.print("");
            }
        }, "cpu-meter-test-worker");
        CpuMeter.Window w = new CpuMeter().threads("worker", n -> n.equals("cpu-meter-test-worker"))
                .threads("nobody", n -> n.equals("no such thread")).start();
        worker.start();
        long spinUntil = System.nanoTime() + 50_000_000L;
        while (System.nanoTime() < spinUntil) {
            Thread.onSpinWait();
        }
        CpuUse use = w.stop();
        assertThat(use.cpuNanos().get("worker")).isPositive();
        assertThat(use.cpuNanos().get("nobody")).isZero();
    }
}
