package io.tagpipe.bench.cpu;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Named CPU clocks read together at the start and the end of a measured window: processes by pid
 * ({@link ProcCpu}), this JVM as a whole, or the threads of this JVM whose name matches (a stage
 * running in the bench JVM, e.g. one Kafka Streams application, without the bench's own threads).
 */
public final class CpuMeter {
    private final Map<String, LongSupplier> clocks = new LinkedHashMap<>();

    /** A process (child JVM, broker, clickhouse-server); several pids under one name are summed. */
    public CpuMeter process(String name, long... pids) {
        long[] p = pids.clone();
        clocks.put(name, () -> Arrays.stream(p).map(ProcCpu::cpuNanos).sum());
        return this;
    }

    public CpuMeter process(String name, List<Long> pids) {
        return process(name, pids.stream().mapToLong(Long::longValue).toArray());
    }

    /** This JVM: every thread, GC and JIT included. */
    public CpuMeter thisJvm(String name) {
        return process(name, ProcessHandle.current().pid());
    }

    /**
     * The live threads of this JVM whose name matches. A matching thread that ends inside the window
     * takes its CPU time with it, so use this only for threads that live through the window.
     */
    public CpuMeter threads(String name, Predicate<String> threadName) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        clocks.put(name, () -> Arrays.stream(mx.getThreadInfo(mx.getAllThreadIds())).filter(t -> t != null
                && threadName.test(t.getThreadName())).mapToLong(t -> Math.max(0, mx.getThreadCpuTime(t.getThreadId()))).sum());
        return this;
    }

    /** Reads every clock now: the window runs until {@link Window#stop()}. */
    public Window start() {
        return new Window(read(), System.nanoTime());
    }

    private Map<String, Long> read() {
        Map<String, Long> m = new LinkedHashMap<>();
        clocks.forEach((n, c) -> m.put(n, c.getAsLong()));
        return m;
    }

    /** An open window: the clocks' readings at its start. */
    public final class Window {
        private final Map<String, Long> start;
        private final long startNanos;

        private Window(Map<String, Long> start, long startNanos) {
            this.start = start;
            this.startNanos = startNanos;
        }

        /** CPU each clock used since {@link #start()}, and the wall time. */
        public CpuUse stop() {
            Map<String, Long> end = read();
            long wall = System.nanoTime() - startNanos;
            Map<String, Long> used = new LinkedHashMap<>();
            end.forEach((n, v) -> used.put(n, v - start.get(n)));
            return new CpuUse(used, wall);
        }
    }
}
