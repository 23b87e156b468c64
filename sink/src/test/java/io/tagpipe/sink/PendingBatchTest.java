package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** When a batch is handed to ClickHouse: row, byte and age limits, and the early flush while no insert runs. */
class PendingBatchTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
    private static final TopicPartition TP = new TopicPartition("kept", 0);
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final RecordMapper mapper = new RecordMapper(codec, Set.of("kept"), 30, 90, CLOCK);

    private PendingBatch filled(PendingBatch b, int rows, long nowMs) {
        for (int i = 0; i < rows; i++) {
            byte[] value = codec.encode(Envelope.log("m" + i, "billing", CLOCK.millis()).build());
            b.add(TP, i, mapper.map(new ConsumerRecord<>("kept", 0, i, null, value)), 100, nowMs);
        }
        return b;
    }

    @Test
    void anEmptyBatchIsNeverDue() {
        PendingBatch b = new PendingBatch(1, 10, 1 << 20, 1000, Dialect.LEGACY, ZoneOffset.UTC);
        assertThat(b.isDue(1_000_000, true)).isFalse();
    }

    @Test
    void whileAnInsertRunsTheBatchWaitsForTheRowLimitOrItsAge() {
        PendingBatch b = filled(new PendingBatch(3, 10, 1 << 20, 1000, Dialect.LEGACY, ZoneOffset.UTC), 5, 0);
        assertThat(b.isDue(999, false)).as("5 rows, 999 ms, insert busy").isFalse();
        assertThat(b.isDue(1000, false)).as("oldest row waited the max").isTrue();
        filled(b, 5, 0);
        assertThat(b.isDue(1, false)).as("row limit reached").isTrue();
    }

    @Test
    void withNoInsertInFlightTheMinimumRowsAreEnough() {
        PendingBatch b = filled(new PendingBatch(3, 10, 1 << 20, 1000, Dialect.LEGACY, ZoneOffset.UTC), 2, 0);
        assertThat(b.isDue(1, true)).as("2 rows < min 3").isFalse();
        filled(b, 1, 0);
        assertThat(b.isDue(1, true)).as("3 rows, ClickHouse idle").isTrue();
        assertThat(b.isDue(1, false)).as("3 rows, insert busy: keep growing").isFalse();
    }

    @Test
    void theByteLimitFlushesToo() {
        PendingBatch b = filled(new PendingBatch(100, 100, 250, 1000, Dialect.LEGACY, ZoneOffset.UTC), 3, 0);
        assertThat(b.isDue(1, false)).isTrue();
    }

    @Test
    void aTwinKeepsTheLimits() {
        PendingBatch twin = new PendingBatch(3, 10, 1 << 20, 1000, Dialect.LEGACY, ZoneOffset.UTC).twin();
        assertThat(filled(twin, 3, 0).isDue(1, true)).isTrue();
        assertThat(twin.isDue(1, false)).isFalse();
    }

    @Test
    void aRowCapLowersTheRowLimitWhileItSaysSo_andTheTwinFollowsTheSameCap() {
        java.util.concurrent.atomic.AtomicInteger cap = new java.util.concurrent.atomic.AtomicInteger(Integer.MAX_VALUE);
        PendingBatch b = filled(new PendingBatch(8, 10, 1 << 20, 1000, Dialect.LEGACY, ZoneOffset.UTC)
                .withRowCap(cap::get), 4, 0);
        assertThat(b.isDue(1, false)).as("4 of 10 rows, insert busy").isFalse();
        cap.set(4); // ClickHouse slowed down: it inserts about 4 rows in the target time
        assertThat(b.isDue(1, false)).as("4 rows reach the cap even while an insert runs").isTrue();
        cap.set(50);
        assertThat(b.isDue(1, false)).as("a cap above the maximum does not raise it").isFalse();

        PendingBatch twin = b.twin();
        cap.set(2);
        assertThat(filled(twin, 2, 0).isDue(1, false)).isTrue();
    }

    @Test
    void runsOfAPartitionExtendItsRangeAndCountEveryRecordAdded() {
        PendingBatch b = new PendingBatch(100, 100, 1 << 20, 1000, Dialect.LEGACY, ZoneOffset.UTC);
        TopicPartition other = new TopicPartition("kept", 1);
        b.cover(TP, 5, 9, 0);
        for (long o = 5; o <= 9; o++) {
            b.add(o == 7 ? null : mapper.map(record(o)), 100); // 7 is stored already: covered, no row
        }
        b.cover(other, 3, 3, 0);
        b.add(mapper.map(record(3)), 100);
        b.cover(TP, 12, 14, 0); // a transaction marker between the runs
        for (long o = 12; o <= 14; o++) {
            b.add(mapper.map(record(o)), 100);
        }
        assertThat(b.ranges()).containsExactly(new PendingBatch.Range(TP, 5, 14), new PendingBatch.Range(other, 3, 3));
        assertThat(b.commitOffsets()).containsEntry(TP, new org.apache.kafka.clients.consumer.OffsetAndMetadata(15))
                .containsEntry(other, new org.apache.kafka.clients.consumer.OffsetAndMetadata(4));
        assertThat(b.rowCount()).isEqualTo(8);
        assertThat(b.rows().get(Table.LOGS).size()).isEqualTo(8);
    }

    private ConsumerRecord<byte[], byte[]> record(long offset) {
        byte[] value = codec.encode(Envelope.log("m" + offset, "billing", CLOCK.millis()).build());
        return new ConsumerRecord<>("kept", 0, offset, null, value);
    }
}
