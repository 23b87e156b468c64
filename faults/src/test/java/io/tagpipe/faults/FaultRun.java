package io.tagpipe.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.core.ConditionTimeoutException;

import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.StatsRecord;

/**
 * The shared fault scenario: start {@code processors} processor JVMs and a sink JVM, stream the
 * {@link Workload} at a steady pace, inject the fault once rows are arriving, then wait until
 * ClickHouse holds the predicted survivors and every offset is committed.
 */
final class FaultRun {
    static final boolean SOAK = Boolean.getBoolean("tagpipe.soak");
    static final int RECORDS = SOAK ? 200_000 : 30_000;
    /** Records per second the workload is sent at: the fault lands mid-stream. */
    static final int RATE = SOAK ? 8_000 : 2_000;

    /** Disrupts the pipeline and returns once the fault is over (the service is back / restarted), with a note. */
    interface Fault {
        String inject(Pipeline pipeline) throws Exception;
    }

    private final KafkaBroker kafka;
    private final ClickHouseServer clickhouse;
    private final Path dir;
    private Duration sinkInsertTimeout;

    FaultRun(KafkaBroker kafka, ClickHouseServer clickhouse, Path dir) {
        this.kafka = kafka;
        this.clickhouse = clickhouse;
        this.dir = dir;
    }

    /** Starts the sink with this insert (and query) timeout instead of its default. */
    FaultRun sinkInsertTimeout(Duration timeout) {
        sinkInsertTimeout = timeout;
        return this;
    }

    Verdict run(String name, int processors, Fault fault) throws Exception {
        try (Pipeline p = Pipeline.create(kafka, clickhouse, dir, Workload.policies());
             KafkaProducer<byte[], byte[]> producer = p.producer()) {
            if (sinkInsertTimeout != null) {
                p.sinkInsertTimeout(sinkInsertTimeout);
            }
            for (int slot = 0; slot < processors; slot++) {
                p.startProcessor(slot);
            }
            p.startSink();
            awaitRunning(p, processors);
            Workload w = new Workload(RealServices.unique("r"), System.currentTimeMillis());
            CompletableFuture<Void> sending = sendPaced(producer, p.topics.records(), w);
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> p.storedCount() >= RECORDS / 20);
            String note;
            try {
                note = fault.inject(p);
            } catch (ConditionTimeoutException never) {
                p.printLogTails(60); // the state the fault had to hit never came: say why
                throw never;
            }
            long faultEnd = System.nanoTime();
            sending.get(5, TimeUnit.MINUTES);
            Expectation e = Expectation.fromTopic(kafka.bootstrapServers(), p.topics.records(), Workload.policies());
            // the test producer is idempotent: the topic holds each sent record exactly once
            assertThat(e.received()).hasSize(RECORDS);
            assertThat(new java.util.HashSet<>(e.receivedIds())).hasSize(RECORDS);
            double recovery = awaitExact(p, e, faultEnd);
            return verdict(name, p, e, recovery).withNote(note);
        }
    }

    static void awaitRunning(Pipeline p, int processors) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> {
            for (int slot = 0; slot < processors; slot++) {
                if (!p.processor(slot).output().contains("RUNNING")) {
                    return false;
                }
            }
            return p.tablesExist();
        });
    }

    /**
     * Seconds from {@code faultEnd} until ClickHouse is complete and drained; -1 if it never was. Complete =
     * every predicted survivor stored or counted as shed (a slow ClickHouse raises the pressure level).
     */
    static double awaitExact(Pipeline p, Expectation e, long faultEnd) {
        try {
            // it must also stay so for 3 s: a late duplicate would break it
            await().atMost(Duration.ofSeconds(SOAK ? 600 : 240)).pollInterval(Duration.ofSeconds(1))
                    .during(Duration.ofSeconds(3)).until(() -> p.storedCount() + shed(p) == e.survivors().size()
                            && p.statsPerApp().equals(e.receivedPerApp()) && p.drained());
            return (System.nanoTime() - faultEnd) / 1e9 - 3;
        } catch (ConditionTimeoutException timeout) {
            p.printLogTails(60);
            return -1;
        }
    }

    static Verdict verdict(String name, Pipeline p, Expectation e, double recovery) {
        List<String> stored = p.storedIds();
        String note = "stats " + (p.statsPerApp().equals(e.receivedPerApp()) ? "= received" : "≠ received "
                + p.statsPerApp() + " vs " + e.receivedPerApp()) + ", dlq " + p.dlqCount();
        Map<String, Long> shed = p.statsByReason(StatsRecord.SHED);
        if (!shed.isEmpty()) {
            note += ", shed (counted) " + shed;
        }
        Map<String, String> appOf = new HashMap<>();
        e.received().forEach(env -> appOf.put(env.id(), env.app()));
        return Verdict.of(name, e.received().size(), e.survivors(), stored, appOf::get, shed, recovery, note);
    }

    private static long shed(Pipeline p) {
        return p.statsByReason(StatsRecord.SHED).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Sends the workload in 100 ms ticks of RATE/10 records; completes when all are acknowledged. */
    private static CompletableFuture<Void> sendPaced(KafkaProducer<byte[], byte[]> producer, String topic, Workload w) {
        EnvelopeCodec codec = new EnvelopeCodec();
        CompletableFuture<Void> done = new CompletableFuture<>();
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger next = new AtomicInteger();
        int perTick = RATE / 10;
        ticks.scheduleAtFixedRate(() -> {
            try {
                int from = next.getAndAdd(perTick);
                for (int i = from; i < Math.min(RECORDS, from + perTick); i++) {
                    producer.send(new ProducerRecord<>(topic, w.app(i).getBytes(), codec.encode(w.envelope(i))));
                }
                if (from + perTick >= RECORDS) {
                    producer.flush();
                    done.complete(null);
                    ticks.shutdown();
                }
            } catch (RuntimeException ex) {
                done.completeExceptionally(ex);
                ticks.shutdown();
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        return done;
    }
}
