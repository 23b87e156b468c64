package com.acme.libs.traffic;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces a sample app's loop at a target rate for a fixed time: the "traffic" of the demo.
 * Settings come from system properties so the demo can tune every app without recompiling:
 * {@code demo.rate} (events per second) and {@code demo.duration} (seconds).
 */
public final class Traffic {
    private final double ratePerSec;
    private final long endNanos;
    private final SplittableRandom random;
    private long next = System.nanoTime();

    private Traffic(double ratePerSec, Duration duration, long seed) {
        this.ratePerSec = ratePerSec;
        this.endNanos = System.nanoTime() + duration.toNanos();
        this.random = new SplittableRandom(seed);
    }

    public static Traffic fromSystemProperties(double defaultRate, long seed) {
        double rate = Double.parseDouble(System.getProperty("demo.rate", String.valueOf(defaultRate)));
        long seconds = Long.parseLong(System.getProperty("demo.duration", "60"));
        return new Traffic(rate, Duration.ofSeconds(seconds), seed);
    }

    /** Waits for the next slot; false once the duration is over. */
    public boolean next() {
        next += (long) (1_000_000_000L / ratePerSec);
        long now = System.nanoTime();
        if (next > now) {
            LockSupport.parkNanos(next - now);
        }
        return System.nanoTime() < endNanos;
    }

    /** True with probability p. */
    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A 32-hex-digit trace id (W3C format). */
    public String traceId() {
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    public String spanId() {
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }
}
