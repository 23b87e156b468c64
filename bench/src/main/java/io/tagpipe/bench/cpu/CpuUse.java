package io.tagpipe.bench.cpu;

import java.util.Map;

/** CPU nanoseconds each clock used over a window of {@code wallNanos}; per-record and per-second figures. */
public record CpuUse(Map<String, Long> cpuNanos, long wallNanos) {
    public CpuUse {
        cpuNanos = Map.copyOf(cpuNanos);
    }

    /** µs of CPU per record for {@code clock}; NaN when no record passed (nothing to divide by). */
    public double microsPerRecord(String clock, long records) {
        return records <= 0 ? Double.NaN : nanos(clock) / 1_000.0 / records;
    }

    /** Cores the clock kept busy on average over the window (1.0 = one core all the time). */
    public double cores(String clock) {
        return wallNanos <= 0 ? Double.NaN : (double) nanos(clock) / wallNanos;
    }

    public double seconds() {
        return wallNanos / 1e9;
    }

    /** {@code records} per second of the window. */
    public double perSecond(long records) {
        return wallNanos <= 0 ? Double.NaN : records / seconds();
    }

    private long nanos(String clock) {
        Long n = cpuNanos.get(clock);
        if (n == null) {
            throw new IllegalArgumentException("no CPU clock named " + clock + "; have " + cpuNanos.keySet());
        }
        return n;
    }
}
