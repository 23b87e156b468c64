package io.tagpipe.faults;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.tagpipe.collector.TagpipeSender;
import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.Level;

/**
 * Fault 6: the broker is down for the applications. An app logs through {@link TagpipeSender}
 * (queue of {@value #QUEUE}) before, during and after the outage; the pipeline downstream must
 * still store exactly the survivors of what reached the topic, and every call is either
 * delivered or counted as dropped (and that count reported once Kafka is back).
 */
final class CollectorOutage {
    static final int QUEUE = 2_000;
    static final int BEFORE = 3_000;
    static final int DURING = 10_000;
    static final int AFTER = 5_000;
    private static final String APP = "web";
    private static final Level[] LEVELS = {Level.DEBUG, Level.INFO, Level.INFO, Level.WARN, Level.ERROR};

    record Result(Verdict verdict, long blockedMillis, long dropped, long reportedDrops,
                  long deliveredBefore, long deliveredDuring, long deliveredAfter) { }

    private final KafkaBroker kafka;
    private final ClickHouseServer clickhouse;
    private final Path dir;

    CollectorOutage(KafkaBroker kafka, ClickHouseServer clickhouse, Path dir) {
        this.kafka = kafka;
        this.clickhouse = clickhouse;
        this.dir = dir;
    }

    Result run(Duration outage) throws Exception {
        try (Pipeline p = Pipeline.create(kafka, clickhouse, dir, Workload.policies())) {
            p.startProcessor(0);
            p.startSink();
            FaultRun.awaitRunning(p, 1);
            TagpipeSender sender = TagpipeSender.builder().bootstrapServers(kafka.bootstrapServers()).app(APP)
                    .topic(p.topics.records()).queueCapacity(QUEUE).shutdownHook(false).build();
            try {
                logInChunks(sender, "before", BEFORE);
                long downAt = System.nanoTime();
                kafka.stop();
                long blockedMillis;
                try {
                    long start = System.nanoTime();
                    for (int i = 0; i < DURING; i++) {
                        sender.log(LEVELS[i % LEVELS.length], "com.acme.Web", "during " + i, null, Map.of("seq", "" + i));
                    }
                    blockedMillis = (System.nanoTime() - start) / 1_000_000;
                    PipelineFaultsIT.hold(Duration.ofNanos(Math.max(0, outage.toNanos() - (System.nanoTime() - downAt))));
                } finally {
                    kafka.start();
                }
                long faultEnd = System.nanoTime();
                // what the queue held during the outage goes out first; then the app logs on
                sender.flush(Duration.ofSeconds(120));
                logInChunks(sender, "after", AFTER);
                long dropped = sender.droppedCount();
                // the drop count travels as a metric record once Kafka accepts records again
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> reportedDrops(p) >= dropped);
                Expectation e = Expectation.fromTopic(kafka.bootstrapServers(), p.topics.records(), Workload.policies());
                double recovery = FaultRun.awaitExact(p, e, faultEnd);
                Verdict v = FaultRun.verdict("broker down " + outage.toSeconds() + " s for the apps (collector)", p, e,
                        recovery);
                v = v.withSent(BEFORE + DURING + AFTER).withNote(dropped
                        + " dropped by the collector (queue full, counted and reported), " + DURING
                        + " calls took " + blockedMillis + " ms");
                return new Result(v, blockedMillis, dropped, reportedDrops(e), delivered(e, "before "),
                        delivered(e, "during "), delivered(e, "after "));
            } finally {
                sender.close(Duration.ofSeconds(10));
            }
        }
    }

    /** Chunks that fit the queue, each flushed: nothing here may be dropped. */
    private static void logInChunks(TagpipeSender sender, String phase, int n) {
        for (int i = 0; i < n; i++) {
            sender.log(LEVELS[i % LEVELS.length], "com.acme.Web", phase + " " + i, null, Map.of("seq", "" + i));
            if (i % (QUEUE / 2) == QUEUE / 2 - 1 && !sender.flush(Duration.ofSeconds(60))) {
                throw new IllegalStateException("flush timed out in phase " + phase);
            }
        }
        sender.flush(Duration.ofSeconds(60));
    }

    private long reportedDrops(Pipeline p) {
        return reportedDrops(Expectation.fromTopic(kafka.bootstrapServers(), p.topics.records(), Map.of()));
    }

    private static long reportedDrops(Expectation e) {
        return Math.round(e.received().stream().filter(Envelope::isMetric)
                .filter(m -> TagpipeSender.DROPPED_METRIC.equals(m.name())).mapToDouble(Envelope::value).sum());
    }

    private static long delivered(Expectation e, String prefix) {
        return e.received().stream().filter(Envelope::isLog)
                .filter(m -> m.message() != null && m.message().startsWith(prefix)).count();
    }
}
