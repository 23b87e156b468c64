package io.tagpipe.bench.logcall;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Garbage-collection pauses of this JVM from the moment {@link #watch()} is called, so a probe can
 * say how many of its slow calls a GC explains (a GC stops the app thread; Kafka never did).
 */
final class GcPauses {
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong totalMillis = new AtomicLong();
    private final AtomicLong maxMillis = new AtomicLong();
    private final AtomicLong overOneMilli = new AtomicLong();
    /** Stop-the-world pauses as {start, end} in GcInfo's clock: ms since the VM began (RuntimeMXBean start time). */
    private final List<long[]> intervals = new ArrayList<>();
    /**
     * System.nanoTime() at that origin. Not RuntimeMXBean uptime: it counts from the end of VM init
     * and is hundreds of ms off GcInfo's clock (measured: a System.gc() then matched to the ms).
     */
    private final long nanoAtVmStart = System.nanoTime()
            - (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) * 1_000_000L;

    private GcPauses() {
    }

    static GcPauses watch() {
        GcPauses p = new GcPauses();
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (bean instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                        // concurrent cycles run beside the app; only stop-the-world pauses hold the caller
                        if (!info.getGcName().contains("Concurrent")) {
                            p.add(info.getGcInfo().getStartTime(), info.getGcInfo().getEndTime());
                        }
                    }
                }, null, null);
            }
        }
        return p;
    }

    private void add(long startMs, long endMs) {
        long millis = endMs - startMs;
        synchronized (intervals) {
            intervals.add(new long[] {startMs, endMs});
        }
        count.incrementAndGet();
        totalMillis.addAndGet(millis);
        maxMillis.accumulateAndGet(millis, Math::max);
        if (millis >= 1) {
            overOneMilli.incrementAndGet();
        }
    }

    /**
     * Whether a call from {@code startNanos} to {@code endNanos} (System.nanoTime) overlaps a pause,
     * with 1 ms of slack for the clocks' millisecond resolution.
     */
    boolean overlaps(long startNanos, long endNanos) {
        long from = (startNanos - nanoAtVmStart) / 1_000_000L - 1;
        long to = (endNanos - nanoAtVmStart) / 1_000_000L + 1;
        synchronized (intervals) {
            return intervals.stream().anyMatch(i -> i[0] <= to && i[1] >= from);
        }
    }

    /** {@code gcPauses=N gcPausesOver1ms=N gcTotalMs=N gcMaxMs=N}: key=value pairs for a RESULT line. */
    String summary() {
        return "gcPauses=" + count.get() + " gcPausesOver1ms=" + overOneMilli.get() + " gcTotalMs=" + totalMillis.get()
                + " gcMaxMs=" + maxMillis.get();
    }
}
