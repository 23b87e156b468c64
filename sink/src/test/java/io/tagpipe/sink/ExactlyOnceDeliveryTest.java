package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.LongStream;

import com.clickhouse.client.api.ServerException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tagpipe.sink.pressure.InsertRecorder;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ExactlyOnceDeliveryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
    private static final long DAY = 86_400_000L;
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final RecordMapper mapper = new RecordMapper(codec, Set.of("kept"), 30, 90, CLOCK);
    private final RecordMapper lanes = new RecordMapper(codec, Set.of("kept", "kept.low"), 30, 90, Clock.systemUTC());
    private final MemoryStore store = new MemoryStore();
    private final List<Unreadable> dlq = new ArrayList<>();
    private final ExactlyOnceDelivery delivery = new ExactlyOnceDelivery(store, dlq::addAll);

    @Test
    void badRowIsIsolatedAndDeadLetteredWhileTheRestIsWritten() throws Exception {
        store.gate = MemoryStore.refusePoison();
        var offsets = delivery.deliver(batch(100, i -> log(i, i == 37 ? "poison" : "ok", CLOCK.millis(), 30)));
        assertThat(store.offsets(Table.LOGS)).hasSize(99).doesNotContain(37L).isSorted();
        assertThat(dlq).singleElement().satisfies(u -> {
            assertThat(u.offset()).isEqualTo(37);
            assertThat(u.reason()).isEqualTo("clickhouse_rejected");
            assertThat(u.error()).contains("throwIf");
            assertThat(new String(u.original(), StandardCharsets.UTF_8)).contains("poison");
        });
        assertThat(offsets.get(new TopicPartition("kept", 0)).offset()).isEqualTo(100);
    }

    @Test
    void aBatchSpanningManyDaysIsInsertedOnePartitionPerInsertEachRowOnce() throws Exception {
        // 150 days x 2 retention tiers, interleaved as they arrive; the server allows 100 partitions per insert
        store.gate = MemoryStore.maxPartitionsPerInsert(100);
        int n = 900;
        delivery.deliver(batch(n, i -> log(i, "ok", CLOCK.millis() - (i % 150) * DAY, i / 150 % 2 == 0 ? 400 : 200)));
        assertThat(store.inserts).hasSize(300).allSatisfy(i -> {
            assertThat(i.partitions()).hasSize(1);
            assertThat(i.offsets()).isSorted();
        });
        assertThat(store.offsets(Table.LOGS)).containsExactlyInAnyOrderElementsOf(range(0, n));
        Set<Long> partitions = new HashSet<>();
        store.inserts.forEach(i -> partitions.addAll(i.partitions()));
        assertThat(partitions).hasSize(300);
        assertThat(dlq).isEmpty();
    }

    @Test
    void aRejectedRowIsIsolatedWithinItsPartitionsInsert() throws Exception {
        store.gate = MemoryStore.refusePoison();
        delivery.deliver(batch(300, i -> log(i, i == 151 ? "poison" : "ok", CLOCK.millis() - (i % 3) * DAY, 30)));
        assertThat(dlq).extracting(Unreadable::offset).containsExactly(151L);
        assertThat(store.offsets(Table.LOGS)).containsExactlyInAnyOrderElementsOf(
                LongStream.range(0, 300).filter(o -> o != 151).boxed().toList());
        assertThat(store.inserts).allSatisfy(i -> assertThat(i.partitions()).hasSize(1));
    }

    @Test
    void anInsertTooBigForTheServersMemoryIsHalvedUntilItFits() throws Exception {
        store.gate = MemoryStore.memoryFor(25);
        delivery.deliver(batch(100, i -> log(i, "ok", CLOCK.millis(), 30)));
        assertThat(store.inserts).allSatisfy(i -> assertThat(i.offsets()).hasSizeLessThanOrEqualTo(25));
        assertThat(store.offsets(Table.LOGS)).containsExactlyElementsOf(range(0, 100));
        assertThat(dlq).isEmpty();
    }

    @Test
    void aSingleRowTooBigForTheServersMemoryIsRetriedLaterNotDropped() {
        store.gate = MemoryStore.memoryFor(0);
        assertThatThrownBy(() -> delivery.deliver(batch(8, i -> log(i, "ok", CLOCK.millis(), 30))))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorClass.RETRIABLE);
                    assertThat(e.getMessage()).contains("one row is too big");
                });
        assertThat(dlq).isEmpty();
        assertThat(store.inserts).isEmpty();
    }

    @Test
    void tooManyPartitionsForAOnePartitionInsertStopsTheSinkWithTheReason() {
        store.gate = rows -> serverError(252, "Too many partitions for single INSERT block (more than 1)");
        assertThatThrownBy(() -> delivery.deliver(batch(4, i -> log(i, "ok", CLOCK.millis(), 30))))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorClass.FATAL);
                    assertThat(e.getMessage()).contains("PARTITION BY", "max_partitions_per_insert_block",
                            "partition (30, 20261126)");
                });
    }

    @Test
    void tooManyPartsWaitsForMergesAndASyntaxErrorStopsInsteadOfLooping() {
        store.gate = rows -> serverError(252, "Too many parts (300). Merges are processing significantly slower than inserts");
        assertThatThrownBy(() -> delivery.deliver(batch(4, i -> log(i, "ok", CLOCK.millis(), 30))))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorClass.RETRIABLE));
        store.gate = rows -> serverError(62, "Syntax error: failed at position 1");
        assertThatThrownBy(() -> delivery.deliver(batch(4, i -> log(i, "ok", CLOCK.millis(), 30))))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorClass.FATAL));
        assertThat(store.inserts).isEmpty();
    }

    @Test
    void unavailableDatabaseIsRetriableAndNothingIsStored() {
        store.gate = rows -> new RuntimeException(new ConnectException("Connection refused"));
        assertThatThrownBy(() -> delivery.deliver(batch(10, i -> log(i, "ok", CLOCK.millis(), 30))))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorClass.RETRIABLE));
        assertThat(store.inserts).isEmpty();
    }

    @Test
    void unreadableKeptRecordGoesToTheDlq() throws Exception {
        PendingBatch b = new PendingBatch(1000, 1000, 1 << 20, 1000, Dialect.LEGACY, ZoneOffset.UTC);
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("kept", 0, 5, null, "{not json".getBytes());
        b.add(new TopicPartition("kept", 0), 5, mapper.map(r), 10, 0);
        delivery.deliver(b);
        assertThat(dlq).singleElement().satisfies(u -> assertThat(u.reason()).isEqualTo("malformed_json"));
        assertThat(store.offsets(Table.LOGS)).isEmpty();
    }

    @Test
    void eachAcknowledgedRowsDelayFromItsLogCallIsMeteredPerLaneAndRefusedRowsAreNot() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ExactlyOnceDelivery metered = new ExactlyOnceDelivery(store, dlq::addAll,
                new InsertRecorder(Clock.systemUTC()), new SinkMeters(registry));
        store.gate = MemoryStore.refusePoison();
        long now = System.currentTimeMillis();
        PendingBatch b = new PendingBatch(100_000, 100_000, 1 << 30, 1000, Dialect.LEGACY, ZoneOffset.UTC);
        // lane "kept": 10 rows logged 1 s ago, one of them refused; lane "kept.low": 5 rows logged 60 s ago
        for (int i = 0; i < 15; i++) {
            String topic = i < 10 ? "kept" : "kept.low";
            Envelope e = log(i, i == 3 ? "poison" : "ok", i < 10 ? now - 1_000 : now - 60_000, 30);
            b.add(new TopicPartition(topic, 0), i, lanes.map(new ConsumerRecord<>(topic, 0, i, null, codec.encode(e))), 100, 0);
        }
        metered.deliver(b);
        Timer kept = registry.get(SinkMeters.DELAY).tag("topic", "kept").timer();
        Timer low = registry.get(SinkMeters.DELAY).tag("topic", "kept.low").timer();
        assertThat(kept.count()).isEqualTo(9);
        assertThat(low.count()).isEqualTo(5);
        assertThat(kept.max(TimeUnit.MILLISECONDS)).isBetween(1_000.0, 30_000.0);
        assertThat(low.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(60_000.0);
        // the 5 s bucket: every "kept" row was queryable within it, no "kept.low" row was
        assertThat(within(kept, SinkMeters.DELAY_SLO)).isEqualTo(9);
        assertThat(within(low, SinkMeters.DELAY_SLO)).isZero();
        assertThat(dlq).singleElement().satisfies(u -> assertThat(u.offset()).isEqualTo(3));
    }

    @Test
    void withLanesTheHighestLanesPartitionIsInsertedFirstStatsLast() throws Exception {
        RecordMapper mapper3 = new RecordMapper(codec, Set.of("kept.critical", "kept", "kept.low"), 30, 90, CLOCK);
        PendingBatch b = new PendingBatch(100_000, 100_000, 1 << 30, 1000, Dialect.LEGACY, ZoneOffset.UTC);
        // arrival order: low (7-day tier), normal (30), critical (90): three ClickHouse partitions of logs
        String[] topics = {"kept.low", "kept", "kept.critical"};
        int[] retention = {7, 30, 90};
        for (int i = 0; i < 30; i++) {
            int lane = i / 10;
            Envelope e = log(i, "ok", CLOCK.millis(), retention[lane]);
            b.add(new TopicPartition(topics[lane], 0), i, mapper3.map(new ConsumerRecord<>(topics[lane], 0, i, null,
                    codec.encode(e))), 100, 0);
        }
        new ExactlyOnceDelivery(store, dlq::addAll).withLaneOrder(List.of("kept.critical", "kept.high", "kept", "kept.low"))
                .deliver(b);
        assertThat(store.inserts).extracting(i -> i.topics().get(0)).containsExactly("kept.critical", "kept", "kept.low");

        MemoryStore unordered = new MemoryStore();
        new ExactlyOnceDelivery(unordered, dlq::addAll).deliver(b);
        assertThat(unordered.inserts).as("without lanes: as first seen")
                .extracting(i -> i.topics().get(0)).containsExactly("kept.low", "kept", "kept.critical");
    }

    private static double within(Timer t, java.time.Duration d) {
        for (CountAtBucket c : t.takeSnapshot().histogramCounts()) {
            if (c.bucket(TimeUnit.NANOSECONDS) == d.toNanos()) {
                return c.count();
            }
        }
        throw new AssertionError("no bucket at " + d);
    }

    @Test
    void missingProcessorFieldsGetDefaults() {
        Envelope e = Envelope.log("id-1", "billing", CLOCK.millis()).message("m").build();
        Row r = (Row) mapper.map(new ConsumerRecord<>("kept", 0, 0, null, codec.encode(e)));
        assertThat(r.sampleRate()).isEqualTo(1.0);
        assertThat(r.retentionDays()).isEqualTo(30);
        assertThat(r.importance()).isEqualTo("normal");
        assertThat(r.table()).isEqualTo(Table.LOGS);
    }

    private static Envelope log(int i, String message, long ts, int retentionDays) {
        return Envelope.log("id-" + i, "billing", ts).message(message).build().withPolicy(1.0, retentionDays, "normal");
    }

    @Test
    void aStoreThatTakesOneInsertAtATimeNeverSeesTwo_theSlotsTakeTurns() throws Exception {
        assertThat(mostInsertsAtOnce(true)).isEqualTo(1);
        assertThat(mostInsertsAtOnce(false)).as("without turns the two slots' inserts overlap (the check can fail)")
                .isEqualTo(2);
    }

    /** Two deliveries (as the two insert slots run them) of 30 one-day slices each, every INSERT 20 ms long. */
    private int mostInsertsAtOnce(boolean oneAtATime) throws Exception {
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        MemoryStore turnTaking = new MemoryStore();
        turnTaking.oneAtATime = oneAtATime;
        turnTaking.gate = rows -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return null;
        };
        ExactlyOnceDelivery shared = new ExactlyOnceDelivery(turnTaking, dlq::addAll);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> shared.deliver(batch(30, i -> log(i, "ok", CLOCK.millis() - i * DAY, 30)), true));
            var b = pool.submit(() -> shared.deliver(batch(30, i -> log(i, "ok", CLOCK.millis() - i * DAY, 400)), false));
            a.get(30, TimeUnit.SECONDS);
            b.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(turnTaking.offsets(Table.LOGS)).hasSize(60);
        return most.get();
    }

    private PendingBatch batch(int n, IntFunction<Envelope> record) {
        PendingBatch b = new PendingBatch(100_000, 100_000, 1 << 30, 1000, Dialect.LEGACY, ZoneOffset.UTC);
        for (int i = 0; i < n; i++) {
            var m = mapper.map(new ConsumerRecord<>("kept", 0, i, null, codec.encode(record.apply(i))));
            b.add(new TopicPartition("kept", 0), i, m, 100, 0);
        }
        return b;
    }

    static ServerException serverError(int code, String message) {
        return new ServerException(0, "Code: " + code + ", e.displayText() = DB::Exception: " + message, 500, "q");
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }
}
