package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.tagpipe.sink.pressure.InsertRecorder;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer loop with a lane gate, over Kafka's {@link MockConsumer} and the in-memory store:
 * which lane reaches the store first, what an unknown lag does, and that a ClickHouse failure in
 * the middle still pauses everything and loses or repeats nothing.
 */
class SinkRunnerLanesTest {
    private static final String CRITICAL = "kept.critical";
    private static final String LOW = "kept.low";
    private static final String STATS = "stats";
    private static final TopicPartition CRIT0 = new TopicPartition(CRITICAL, 0);
    private static final TopicPartition LOW0 = new TopicPartition(LOW, 0);
    private static final TopicPartition STATS0 = new TopicPartition(STATS, 0);
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final MemoryStore store = new MemoryStore();
    private final SettableClock clock = new SettableClock();
    private Thread thread;
    private SinkRunner runner;

    @AfterEach
    void stop() throws InterruptedException {
        if (runner != null) {
            runner.stop();
            thread.join(30_000);
        }
    }

    @Test
    void theCriticalLaneIsStoredBeforeAnyRowOfTheLowBacklog() {
        MockConsumer<byte[], byte[]> consumer = consumer(30, 500);
        start(consumer, gate(), new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)));

        await().atMost(Duration.ofSeconds(30)).until(() -> store.offsets(Table.LOGS).size() == 530);

        assertThat(firstInsertWith(LOW)).isGreaterThan(lastInsertWith(CRITICAL));
        assertExactlyOnce(30, 500);
    }

    @Test
    void withoutTheGateBothLanesShareTheFirstInsert() {
        MockConsumer<byte[], byte[]> consumer = consumer(30, 500);
        start(consumer, null, new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)));

        await().atMost(Duration.ofSeconds(30)).until(() -> store.offsets(Table.LOGS).size() == 530);

        assertThat(firstInsertWith(LOW)).isLessThanOrEqualTo(lastInsertWith(CRITICAL));
        assertExactlyOnce(30, 500);
    }

    @Test
    void criticalRecordsArrivingDuringASlowInsertOfTheLowLaneAreStoredWhileItStillRuns() throws Exception {
        // batches are due at 100 rows (the insert-time cap); the first insert (low rows) hangs until released
        MockConsumer<byte[], byte[]> consumer = consumer(0, 100);
        CountDownLatch firstInsertRuns = new CountDownLatch(1);
        CountDownLatch finishFirstInsert = new CountDownLatch(1);
        AtomicLong inserts = new AtomicLong();
        store.gate = rows -> {
            if (inserts.getAndIncrement() == 0) {
                firstInsertRuns.countDown();
                try {
                    finishFirstInsert.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return null;
        };
        start(consumer, gate(), new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)),
                new PendingBatch(1, 1000, 1 << 30, 1000, Dialect.LEGACY, ZoneOffset.UTC).withRowCap(() -> 100));
        assertThat(firstInsertRuns.await(30, TimeUnit.SECONDS)).isTrue();

        // while it runs, 150 more low records: the next low batch is due and waits for the insert in flight
        consumer.schedulePollTask(() -> {
            consumer.updateEndOffsets(Map.of(LOW0, 250L));
            for (int i = 100; i < 250; i++) {
                consumer.addRecord(record(LOW0, i));
            }
        });
        // meanwhile the loop holds the low lane and still reads the critical one, without blocking on the insert
        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.paused().contains(LOW0));
        assertThat(consumer.paused()).doesNotContain(CRIT0);
        consumer.schedulePollTask(() -> {
            consumer.updateEndOffsets(Map.of(CRIT0, 10L));
            for (int i = 0; i < 10; i++) {
                consumer.addRecord(record(CRIT0, i));
            }
        });

        // the critical rows go in through the top lane's own slot while the low insert still hangs
        await().atMost(Duration.ofSeconds(30)).until(() -> store.offsets(Table.LOGS).size() == 10);
        assertThat(store.inserts).hasSize(1);
        assertThat(store.inserts.get(0).topics()).containsOnly(CRITICAL);
        assertThat(firstInsertRuns.getCount()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(consumer, CRIT0) == 10);
        assertThat(committed(consumer, LOW0)).as("the low lane's offsets wait for its own insert (0: the watermark the "
                + "assignment committed)").isZero();

        finishFirstInsert.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> store.offsets(Table.LOGS).size() == 260);
        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.paused().isEmpty() && committed(consumer, LOW0) == 250);
        assertExactlyOnce(10, 250);
    }

    private static long committed(MockConsumer<byte[], byte[]> consumer, TopicPartition tp) {
        var c = consumer.committed(Set.of(tp)).get(tp);
        return c == null ? -1 : c.offset();
    }

    @Test
    void anUnknownCriticalLagHoldsTheLowLaneOnlyForTheGracePeriod() {
        AtomicBoolean lagKnown = new AtomicBoolean(false);
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
            @Override
            public synchronized OptionalLong currentLag(TopicPartition tp) {
                return tp.equals(CRIT0) && !lagKnown.get() ? OptionalLong.empty() : super.currentLag(tp);
            }
        };
        fill(consumer, 0, 500);
        start(consumer, gate(), new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)));
        await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.paused().isEmpty());
        assertThat(consumer.paused()).containsExactly(LOW0);
        assertThat(store.inserts).isEmpty();

        clock.advance(Duration.ofSeconds(10)); // the critical lag still unknown: no longer a reason to wait

        await().atMost(Duration.ofSeconds(30)).until(() -> store.offsets(Table.LOGS).size() == 500);
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void aClickHouseFailurePausesEveryLaneAndTheRetryKeepsTheOrderAndExactlyOnce() {
        MockConsumer<byte[], byte[]> consumer = consumer(30, 500);
        AtomicLong refused = new AtomicLong();
        store.gate = rows -> {
            if (refused.getAndIncrement() > 0) {
                return null;
            }
            consumer.schedulePollTask(refillWhenPaused(consumer, 30, 500));
            return new ConnectException("Connection refused");
        };
        start(consumer, gate(), new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)));

        // the retry waits for the backoff on the runner's clock
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            clock.advance(Duration.ofMillis(100));
            return store.offsets(Table.LOGS).size() == 530;
        });

        assertThat(refused.get()).isGreaterThan(1);
        assertThat(firstInsertWith(LOW)).isGreaterThan(lastInsertWith(CRITICAL));
        assertExactlyOnce(30, 500);
    }

    @Test
    void aFailureInTheTopLanesSlotWaitsForTheOtherSlotsInsertThenEverythingResumesExactlyOnce() throws Exception {
        MockConsumer<byte[], byte[]> consumer = consumer(0, 100);
        CountDownLatch lowInsertRuns = new CountDownLatch(1);
        CountDownLatch finishLowInsert = new CountDownLatch(1);
        AtomicLong refused = new AtomicLong();
        store.gate = rows -> {
            String topic = rows.source(0).topic();
            if (topic.equals(LOW) && lowInsertRuns.getCount() == 1) {
                lowInsertRuns.countDown();
                try {
                    finishLowInsert.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }
            if (topic.equals(CRITICAL) && refused.getAndIncrement() == 0) {
                consumer.schedulePollTask(refillWhenPaused(consumer, 10, 100));
                return new ConnectException("Connection refused");
            }
            return null;
        };
        start(consumer, gate(), new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)),
                new PendingBatch(1, 1000, 1 << 30, 1000, Dialect.LEGACY, ZoneOffset.UTC).withRowCap(() -> 100));
        assertThat(lowInsertRuns.await(30, TimeUnit.SECONDS)).isTrue();
        consumer.schedulePollTask(() -> {
            consumer.updateEndOffsets(Map.of(CRIT0, 10L));
            for (int i = 0; i < 10; i++) {
                consumer.addRecord(record(CRIT0, i));
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> refused.get() == 1);
        // the runner waits for the low insert before it pauses: the recovery must not read ClickHouse while it runs
        Thread.sleep(200);
        assertThat(runner.isPaused()).isFalse();
        finishLowInsert.countDown();
        await().atMost(Duration.ofSeconds(30)).until(runner::isPaused);
        assertThat(committed(consumer, LOW0)).as("the low insert succeeded: its offsets are committed").isEqualTo(100);

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            clock.advance(Duration.ofMillis(100));
            return store.offsets(Table.LOGS).size() == 110;
        });
        assertThat(refused.get()).isEqualTo(2);
        assertExactlyOnce(10, 100);
    }

    /**
     * MockConsumer forgets records once returned, a log does not: put them back while the runner is
     * paused, so its recovery seek finds them.
     */
    private Runnable refillWhenPaused(MockConsumer<byte[], byte[]> consumer, int critical, int low) {
        return new Runnable() {
            @Override
            public void run() {
                if (!consumer.paused().containsAll(consumer.assignment())) {
                    consumer.schedulePollTask(this);
                    return;
                }
                addRecords(consumer, critical, low);
            }
        };
    }

    private LaneGate gate() {
        return new LaneGate(List.of(CRITICAL, LOW), Duration.ofSeconds(10));
    }

    private MockConsumer<byte[], byte[]> consumer(int critical, int low) {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        fill(consumer, critical, low);
        return consumer;
    }

    /** Schedules the assignment and the records for the first poll (the low backlog was there first). */
    private void fill(MockConsumer<byte[], byte[]> consumer, int critical, int low) {
        Map<TopicPartition, Long> zero = Map.of(CRIT0, 0L, LOW0, 0L, STATS0, 0L);
        consumer.updateBeginningOffsets(zero);
        consumer.updateEndOffsets(Map.of(CRIT0, (long) critical, LOW0, (long) low, STATS0, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(CRIT0, LOW0, STATS0));
            addRecords(consumer, critical, low);
        });
    }

    private void addRecords(MockConsumer<byte[], byte[]> consumer, int critical, int low) {
        for (int i = 0; i < low; i++) {
            consumer.addRecord(record(LOW0, i));
        }
        for (int i = 0; i < critical; i++) {
            consumer.addRecord(record(CRIT0, i));
        }
    }

    private ConsumerRecord<byte[], byte[]> record(TopicPartition tp, long offset) {
        Envelope e = Envelope.log(tp.topic() + "-" + offset, "app", Instant.parse("2026-11-26T00:00:00Z").toEpochMilli())
                .message("m").build().withPolicy(1.0, 30, tp.topic().equals(CRITICAL) ? "critical" : "low");
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, "app".getBytes(StandardCharsets.UTF_8),
                codec.encode(e));
    }

    private void start(MockConsumer<byte[], byte[]> consumer, LaneGate gate, Backoff backoff) {
        start(consumer, gate, backoff, new PendingBatch(1, 100, 1 << 30, 1000, Dialect.LEGACY, ZoneOffset.UTC));
    }

    private void start(MockConsumer<byte[], byte[]> consumer, LaneGate gate, Backoff backoff, PendingBatch batch) {
        RecordMapper mapper = new RecordMapper(codec, Set.of(CRITICAL, LOW), 30, 90, clock);
        Map<String, List<Table>> tablesOf = new HashMap<>();
        tablesOf.put(CRITICAL, List.of(Table.LOGS, Table.METRICS));
        tablesOf.put(LOW, List.of(Table.LOGS, Table.METRICS));
        tablesOf.put(STATS, List.of(Table.INGEST_STATS));
        runner = new SinkRunner(consumer, new ExactlyOnceDelivery(store, records -> { }), new ParallelMapper(mapper, 1),
                batch, backoff, tablesOf, clock,
                new InsertRecorder(clock), gate);
        thread = new Thread(runner, "sink-runner-test");
        thread.start();
    }

    private int firstInsertWith(String topic) {
        List<MemoryStore.Insert> inserts = new ArrayList<>(store.inserts);
        for (int i = 0; i < inserts.size(); i++) {
            if (inserts.get(i).topics().contains(topic)) {
                return i;
            }
        }
        return -1;
    }

    private int lastInsertWith(String topic) {
        List<MemoryStore.Insert> inserts = new ArrayList<>(store.inserts);
        for (int i = inserts.size() - 1; i >= 0; i--) {
            if (inserts.get(i).topics().contains(topic)) {
                return i;
            }
        }
        return -1;
    }

    /** Every offset of both partitions stored, none twice. */
    private void assertExactlyOnce(int critical, int lowCount) {
        List<Long> crit = new ArrayList<>();
        List<Long> low = new ArrayList<>();
        for (MemoryStore.Insert insert : store.inserts) {
            for (int row = 0; row < insert.offsets().size(); row++) {
                (insert.topics().get(row).equals(CRITICAL) ? crit : low).add(insert.offsets().get(row));
            }
        }
        assertThat(crit).containsExactlyInAnyOrderElementsOf(range(critical));
        assertThat(low).containsExactlyInAnyOrderElementsOf(range(lowCount));
    }

    private static List<Long> range(int n) {
        return java.util.stream.LongStream.range(0, n).boxed().toList();
    }

    /** A clock the test moves; the runner's batching and the gate's grace period read it. */
    static final class SettableClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-11-26T00:00:00Z").toEpochMilli());

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
