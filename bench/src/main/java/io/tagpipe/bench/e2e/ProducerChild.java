package io.tagpipe.bench.e2e;

import java.time.Duration;
import java.util.Map;

import io.tagpipe.collector.TagpipeSender;
import io.tagpipe.wire.Level;

/**
 * One producing app in its own JVM: a {@link TagpipeSender} logging at a fixed rate for a fixed
 * time, plus one marker record (logger {@value #MARKER_LOGGER}) every {@code markerMs}; the sender
 * stamps each record's {@code ts} at the call, which is the "produced" instant of the latency.
 * Args: bootstrap, topic, app, records/s, seconds, markerMs (0 = none). Prints {@code SENT n DROPPED d}.
 */
public final class ProducerChild {
    static final String MARKER_LOGGER = "io.tagpipe.bench.Marker";

    private ProducerChild() {
    }

    public static void main(String[] args) {
        String bootstrap = args[0];
        String topic = args[1];
        String app = args[2];
        double rate = Double.parseDouble(args[3]);
        long seconds = Long.parseLong(args[4]);
        long markerNanos = Long.parseLong(args[5]) * 1_000_000L;
        long sent = 0;
        try (TagpipeSender sender = TagpipeSender.builder().bootstrapServers(bootstrap).topic(topic).app(app)
                .queueCapacity(65_536).shutdownHook(false).build()) {
            Map<String, String> mdc = Map.of("region", "eu-west-1", "user", "u-1");
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            long nextMarker = start;
            for (long now = start; now < end; now = System.nanoTime()) {
                long due = (long) ((now - start) / 1e9 * rate); // records that should have been sent by now
                for (; sent < due; sent++) {
                    sender.log(sent % 10 == 0 ? Level.WARN : Level.INFO, "com.acme.checkout.Handler",
                            "handled request " + sent + " in " + (sent % 250) + " ms for customer c-" + (sent % 9973), null, mdc);
                }
                if (markerNanos > 0 && now >= nextMarker) {
                    sender.log(Level.INFO, MARKER_LOGGER, "marker " + app + " " + now, null, mdc);
                    sent++;
                    nextMarker += markerNanos;
                }
                parkUpTo(1_000_000L);
            }
            sender.flush(Duration.ofSeconds(120));
            System.out.println("SENT " + sent + " DROPPED " + sender.droppedCount());
        }
    }

    private static void parkUpTo(long nanos) {
        java.util.concurrent.locks.LockSupport.parkNanos(nanos);
    }
}
