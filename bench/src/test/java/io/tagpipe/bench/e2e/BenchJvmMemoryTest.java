package io.tagpipe.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BenchJvmMemoryTest {
    @Test
    void peakHeapIsTheLargestOccupancyACollectionStartedFrom() {
        String log = """
                [0.412s][info][gc] Using G1
                [1.015s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 23M->4M(256M) 3.456ms
                [2.100s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 301M->120M(512M) 9.1ms
                [3.000s][info][gc] GC(2) Pause Young (Concurrent Start) (G1 Humongous Allocation) 2048K->1024K(1G) 1.0ms
                """;
        JvmMemory.Peak p = JvmMemory.fromGcLog(log);
        assertThat(p.gcs()).isEqualTo(3);
        assertThat(p.heapUsedMb()).isEqualTo(301);
        assertThat(p.heapAfterGcMb()).isEqualTo(120);
        assertThat(p.heapCommittedMb()).isEqualTo(1024);
    }

    @Test
    void liveHeapIsWhatAFullCollectionLeft() {
        String log = """
                [1.0s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 900M->400M(2048M) 30.1ms
                [2.0s][info][gc] GC(1) Pause Full (System.gc()) 620M->150M(2048M) 210.5ms
                [3.0s][info][gc] GC(2) Pause Young (Normal) (G1 Evacuation Pause) 1200M->500M(2048M) 31.0ms
                """;
        JvmMemory.Peak p = JvmMemory.fromGcLog(log);
        assertThat(p.liveAfterFullGcMb()).isEqualTo(150);
        assertThat(p.heapAfterGcMb()).isEqualTo(500); // young GCs leave old garbage: only an upper bound
        assertThat(JvmMemory.fromGcLog(log.lines().filter(l -> !l.contains("Full")).reduce("", (a, b) -> a + b + "\n"))
                .liveAfterFullGcMb()).isNaN();
    }

    @Test
    void noCollectionMeansUnknownNotZero() {
        JvmMemory.Peak p = JvmMemory.fromGcLog("[0.4s][info][gc] Using G1\n");
        assertThat(p.gcs()).isZero();
        assertThat(p.heapUsedMb()).isNaN();
    }

    @Test
    void peakRssIsVmHwm() {
        String status = "Name:\tjava\nVmPeak:\t 5000000 kB\nVmHWM:\t  524288 kB\nVmRSS:\t  400000 kB\n";
        assertThat(JvmMemory.peakRssMb(status)).isCloseTo(512.0, within(0.001));
        assertThat(JvmMemory.peakRssMb("Name:\tjava\n")).isNaN();
    }
}
