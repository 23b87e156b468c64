package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** One batch in flight while the next fills: order, hand-over, and what a failure leaves behind. */
class InsertPipelineTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
    private static final TopicPartition TP = new TopicPartition("kept", 0);
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final RecordMapper mapper = new RecordMapper(codec, Set.of("kept"), 30, 90, CLOCK);
    private final GatedStore gated = new GatedStore();
    private final MemoryStore store = gated.store();
    private final ExactlyOnceDelivery delivery = new ExactlyOnceDelivery(store, records -> { });

    @Test
    void theNextBatchFillsWhileOneIsInFlightAndOffsetsComeBackInOrder() throws Exception {
        PendingBatch first = batch(0, 10);
        try (InsertPipeline pipeline = new InsertPipeline(delivery, first.twin())) {
            PendingBatch next = pipeline.submit(first);
            assertThat(next).isNotSameAs(first);
            assertThat(next.isEmpty()).isTrue();
            assertThat(gated.entered.await(30, TimeUnit.SECONDS)).isTrue();
            fill(next, 10, 20); // the insert of 0..9 is still blocked in the store
            assertThat(pipeline.isBusy()).isTrue();
            assertThat(pipeline.isDone()).isFalse();
            assertThatThrownBy(() -> pipeline.submit(next)).isInstanceOf(IllegalStateException.class);

            gated.release.countDown();
            InsertPipeline.Done done = pipeline.await();
            assertThat(done.rows()).isEqualTo(10);
            assertThat(done.offsets()).containsEntry(TP, new org.apache.kafka.clients.consumer.OffsetAndMetadata(10));
            assertThat(first.isEmpty()).isTrue(); // freed for reuse

            assertThat(pipeline.submit(next)).isSameAs(first);
            assertThat(pipeline.await().offsets().get(TP).offset()).isEqualTo(20);
            assertThat(store.offsets(Table.LOGS)).containsExactlyElementsOf(range(0, 20));
            assertThat(pipeline.await()).isNull(); // nothing in flight
        }
    }

    @Test
    void aFailedDeliveryThrowsAndAcknowledgesNothing() {
        gated.release.countDown();
        gated.down = true;
        PendingBatch first = batch(0, 5);
        try (InsertPipeline pipeline = new InsertPipeline(delivery, first.twin())) {
            pipeline.submit(first);
            assertThatThrownBy(pipeline::await).isInstanceOfSatisfying(DeliveryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorClass.RETRIABLE));
            assertThat(pipeline.isBusy()).isFalse();
            assertThat(first.isEmpty()).isTrue();
            assertThat(store.inserts).isEmpty();
        }
    }

    private PendingBatch batch(int from, int to) {
        PendingBatch b = new PendingBatch(100_000, 100_000, 1 << 30, 1000, Dialect.LEGACY, ZoneOffset.UTC);
        fill(b, from, to);
        return b;
    }

    private void fill(PendingBatch b, int from, int to) {
        for (int i = from; i < to; i++) {
            Envelope e = Envelope.log("id-" + i, "billing", CLOCK.millis()).message("m").build();
            b.add(TP, i, mapper.map(new ConsumerRecord<>("kept", 0, i, null, codec.encode(e))), 100, 0);
        }
    }

    private static List<Long> range(long from, long to) {
        return java.util.stream.LongStream.range(from, to).boxed().toList();
    }

    /** A store whose inserts block until released, so a batch can be held in flight. */
    private static final class GatedStore {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean down;

        MemoryStore store() {
            MemoryStore s = new MemoryStore();
            s.gate = rows -> {
                entered.countDown();
                release.await();
                return down ? new RuntimeException(new ConnectException("Connection refused")) : null;
            };
            return s;
        }
    }
}
