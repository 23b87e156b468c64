package io.tagpipe.sink;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.tagpipe.sink.pressure.HeldRecords;
import io.tagpipe.sink.pressure.InsertRecorder;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop: poll → map → encode into the batch → deliver → commit. A full batch is
 * delivered on a background thread ({@link InsertPipeline}) while this thread fills the next; its
 * offsets are committed once it was acknowledged, before the next batch is handed over. When
 * ClickHouse is down or slow it drops what it buffered, pauses every partition, backs off
 * (doubling, capped), and on recovery re-reads which uncommitted offsets ClickHouse holds and seeks
 * to the committed offset, skipping exactly those, so nothing buffered at the time of the failure
 * is lost or written twice.
 *
 * <p>With a {@link LaneGate}, partitions of lower lanes are paused while a higher lane has backlog
 * (decided before every poll, and right after an assignment so a new partition is not fetched
 * before the gate saw it). When a lane opens, the batch holding the higher lanes' rows is handed
 * over first, so they are inserted before any row of the lane that opened. And while a due batch
 * waits for the insert in flight, only the top lane is read, into that batch ({@link #waitingForInsert}).
 * Pausing moves no position, so exactly-once is untouched; a failure pauses everything as before.
 */
final class SinkRunner implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SinkRunner.class);

    private final Consumer<byte[], byte[]> consumer;
    private final ExactlyOnceDelivery delivery;
    private final ParallelMapper mapper;
    private final InsertPipeline pipeline;
    private PendingBatch batch;
    private final Backoff backoff;
    private final Map<String, List<Table>> tablesOf;
    private final Clock clock;
    private final AtomicLong rowsWritten = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean paused;
    private volatile int assigned;
    private final SinkMeters meters;
    private long retryAtMs;
    private final HeldRecords held;
    private final LaneGating lanes;
    /** Rows the due batch held when it began to wait for the insert in flight; -1 while not waiting. */
    private int rowsWhenWaitBegan = -1;

    SinkRunner(Consumer<byte[], byte[]> consumer, ExactlyOnceDelivery delivery, ParallelMapper mapper,
               PendingBatch batch, Backoff backoff, Map<String, List<Table>> tablesOf, Clock clock,
               InsertRecorder recorder, LaneGate gate) {
        this(consumer, delivery, mapper, batch, backoff, tablesOf, clock, recorder, SinkMeters.none(), gate);
    }

    SinkRunner(Consumer<byte[], byte[]> consumer, ExactlyOnceDelivery delivery, ParallelMapper mapper,
               PendingBatch batch, Backoff backoff, Map<String, List<Table>> tablesOf, Clock clock,
               InsertRecorder recorder, SinkMeters meters, LaneGate gate) {
        this.held = new HeldRecords(recorder);
        this.meters = meters;
        this.lanes = gate == null ? null : new LaneGating(consumer, gate, clock);
        this.consumer = consumer;
        this.delivery = delivery;
        this.mapper = mapper;
        this.batch = batch;
        this.pipeline = new InsertPipeline(delivery, batch.twin());
        this.backoff = backoff;
        this.tablesOf = Map.copyOf(tablesOf);
        this.clock = clock;
    }

    boolean isPaused() {
        return paused;
    }

    /** Partitions assigned to this sink now (kept and stats topics). */
    int assignedPartitions() {
        return assigned;
    }

    long rowsWritten() {
        return rowsWritten.get();
    }

    /** Asks the loop to flush, commit and return; safe from any thread. */
    void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void run() {
        consumer.subscribe(tablesOf.keySet(), new Rebalance());
        try {
            while (running) {
                if (paused) {
                    waitThenTryResume();
                } else {
                    pollOnce();
                }
            }
        } catch (WakeupException e) {
            // stop() was called: fall through to the final flush
        } finally {
            try {
                if (!paused) {
                    flushAndWait();
                }
            } finally {
                pipeline.close();
                mapper.close();
            }
            consumer.close(Duration.ofSeconds(10));
            log.info("sink stopped after writing {} rows", rowsWritten.get());
        }
    }

    private void pollOnce() {
        boolean waiting = waitingForInsert();
        if (waiting) {
            lanes.topLaneOnly();
        } else if (gateLanes() && !batch.isEmpty()) {
            handOff(); // the higher lanes' rows go into ClickHouse before the opened lane's
            if (paused) {
                return;
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        consumer.poll(Duration.ofMillis(waiting ? 20 : 100)).forEach(records::add);
        Mapped[] mapped = mapper.mapAll(records);
        long now = clock.millis();
        for (int i = 0; i < mapped.length; i++) {
            ConsumerRecord<byte[], byte[]> r = records.get(i);
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            Mapped m = mapped[i];
            boolean stored = m instanceof Row row && delivery.ledger().isStored(row.table(), tp, r.offset());
            int size = (r.value() == null ? 0 : r.value().length) + 64;
            batch.add(tp, r.offset(), stored ? null : m, size, now);
            held.polled(r.timestamp());
        }
        if (pipeline.isDone() && !complete()) {
            return; // commit a finished delivery promptly; on failure: paused, this batch dropped
        }
        if (!waitingForInsert() && batch.isDue(clock.millis(), !pipeline.isBusy())) {
            handOff();
        }
    }

    /**
     * With lanes: the batch is due but the insert in flight is not done. Instead of blocking until it
     * is (when the next poll would put the top lane's new records behind a batch of lower lanes), the
     * loop keeps reading the top lane alone into this batch — at most one row limit more than it held
     * when it began to wait, and never past the hard limits — so a top-lane record waits for at most the
     * insert in flight and its own.
     */
    private boolean waitingForInsert() {
        boolean waiting = lanes != null && lanes.ordered() && pipeline.isBusy() && !pipeline.isDone()
                && batch.isDue(clock.millis(), false) && !batch.isFull();
        if (!waiting) {
            rowsWhenWaitBegan = -1;
            return false;
        }
        if (rowsWhenWaitBegan < 0) {
            rowsWhenWaitBegan = batch.rowCount();
        }
        return batch.rowCount() < (long) rowsWhenWaitBegan + batch.rowLimit();
    }

    /** Applies the lane gate, if any (only while not paused for ClickHouse trouble); true when a lane opened. */
    private boolean gateLanes() {
        return lanes != null && lanes.apply();
    }

    /** Waits for the delivery in flight, then starts delivering the current batch. */
    private void handOff() {
        if (complete() && !batch.isEmpty()) {
            if (log.isDebugEnabled()) {
                log.debug("handing over {} records, per topic {}", batch.rowCount(), batch.recordsPerTopic());
            }
            batch = pipeline.submit(batch);
            rowsWhenWaitBegan = -1;
            held.handedOver();
        }
    }

    /** Delivers everything consumed so far and waits for it (rebalance, shutdown). */
    private void flushAndWait() {
        handOff();
        complete();
    }

    /**
     * Waits for the delivery in flight (if any) and commits its offsets. When it failed, the batch
     * being filled is dropped too (it lies beyond the failed one), the sink pauses, and resuming
     * seeks to what ClickHouse holds; returns false then.
     */
    private boolean complete() {
        try {
            InsertPipeline.Done done = pipeline.await();
            if (done != null) {
                rowsWritten.addAndGet(done.rows());
                meters.delivered(done.rows());
                commit(done.offsets());
                held.acknowledged();
            }
            return true;
        } catch (DeliveryException e) {
            batch.clear();
            held.failed();
            if (e.kind() == ErrorClass.FATAL) {
                throw new IllegalStateException("sink cannot continue: " + e.getMessage(), e);
            }
            unavailable(e);
            return false;
        }
    }

    /** Rows are in ClickHouse already; a failed commit only widens what the next recovery reads from ClickHouse. */
    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                consumer.commitSync(offsets);
                return;
            } catch (WakeupException e) {
                // stop() raced with the commit: the wakeup is consumed, commit once more
            } catch (KafkaException e) {
                log.warn("offset commit failed ({}); positions will be re-read from ClickHouse", e.getMessage());
                return;
            }
        }
    }

    private void unavailable(Exception e) {
        consumer.pause(consumer.assignment());
        Duration delay = backoff.next();
        retryAtMs = clock.millis() + delay.toMillis();
        String what = e instanceof org.apache.kafka.common.KafkaException ? "Kafka" : "ClickHouse";
        if (!paused) {
            log.warn("{} unavailable, pausing (retry in {} ms): {}", what, delay.toMillis(), e.getMessage());
        } else {
            log.info("{} still unavailable (retry in {} ms): {}", what, delay.toMillis(), e.getMessage());
        }
        paused = true;
    }

    private void waitThenTryResume() {
        long wait = Math.max(1, Math.min(1000, retryAtMs - clock.millis()));
        consumer.poll(Duration.ofMillis(wait)); // paused: returns nothing, keeps the group membership alive
        if (clock.millis() < retryAtMs) {
            return;
        }
        try {
            recoverAndSeek(consumer.assignment());
            consumer.resume(consumer.assignment());
            paused = false;
            backoff.reset();
            log.info("ClickHouse back, resuming");
        } catch (Exception e) {
            if (e instanceof WakeupException w) {
                throw w;
            }
            if (ErrorClass.of(e) == ErrorClass.FATAL) {
                throw new IllegalStateException("sink cannot continue: " + e.getMessage(), e);
            }
            unavailable(e);
        }
    }

    /**
     * Reads what ClickHouse holds of these partitions' uncommitted offsets and seeks each one to where
     * it resumes ({@link OffsetLedger} has the rule). A partition without a committed offset gets its
     * resume position committed now, so later recoveries start from a watermark.
     */
    private void recoverAndSeek(Collection<TopicPartition> partitions) throws Exception {
        if (partitions.isEmpty()) {
            return;
        }
        Set<TopicPartition> tps = new HashSet<>(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(tps);
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(tps);
        Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
        Map<TopicPartition, OffsetLedger.KafkaPosition> kafka = new HashMap<>();
        for (TopicPartition tp : tps) {
            OffsetAndMetadata c = committed.get(tp);
            kafka.put(tp, new OffsetLedger.KafkaPosition(c == null ? null : c.offset(), starts.get(tp), ends.get(tp)));
        }
        Map<TopicPartition, OffsetAndMetadata> watermarks = new HashMap<>();
        delivery.recover(kafka, tablesOf).forEach((tp, r) -> {
            consumer.seek(tp, r.offset());
            if (r.commit()) {
                watermarks.put(tp, new OffsetAndMetadata(r.offset()));
            }
        });
        if (!watermarks.isEmpty()) {
            commit(watermarks);
        }
        log.debug("positions set for {}", partitions);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final Set<TopicPartition> owned = new HashSet<>();

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!paused) {
                flushAndWait(); // hand over a clean position; on failure the next owner seeks from ClickHouse
            }
            batch.clear();
            held.revoked();
            owned.removeAll(partitions);
            assigned = owned.size();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            try {
                pipeline.await(); // let it finish; not committed: the next owner seeks from ClickHouse
            } catch (DeliveryException e) {
                log.debug("delivery in flight failed while partitions were lost: {}", e.getMessage());
            }
            batch.clear();
            held.revoked();
            owned.removeAll(partitions);
            assigned = owned.size();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            owned.addAll(partitions);
            assigned = owned.size();
            if (!paused && !complete()) {
                return; // the failed delivery paused every partition; resume will seek them all
            }
            if (paused) {
                consumer.pause(partitions); // resume will seek every assigned partition
                return;
            }
            try {
                recoverAndSeek(partitions);
                gateLanes(); // before the poll that assigned them fetches: their lag is not known yet
            } catch (Exception e) {
                if (ErrorClass.of(e) == ErrorClass.FATAL) {
                    throw new IllegalStateException("sink cannot continue: " + e.getMessage(), e);
                }
                unavailable(e);
            }
        }
    }
}
