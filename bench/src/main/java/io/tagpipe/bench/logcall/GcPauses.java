package io.tagpipe.bench.logcall;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
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
                            p.add(info.getGcInfo().getDuration());
                        }
                    }
                }, null, null);
            }
        }
        return p;
    }

    private void add(long millis) {
        count.incrementAndGet();
        totalMillis.addAndGet(millis);
        maxMillis.accumulateAndGet(millis, Math::max);
        if (millis >= 1) {
            overOneMilli.incrementAndGet();
        }
    }

    /** {@code gcPauses=N gcPausesOver1ms=N gcTotalMs=N gcMaxMs=N}: key=value pairs for a RESULT line. */
    String summary() {
        return "gcPauses=" + count.get() + " gcPausesOver1ms=" + overOneMilli.get() + " gcTotalMs=" + totalMillis.get()
                + " gcMaxMs=" + maxMillis.get();
    }
}
