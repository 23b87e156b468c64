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
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 * over first, so they are inserted before any row of the lane that opened.
 *
 * <p>With more than one lane, the top lane has an insert slot of its own: its partitions go into a batch
 * and an {@link InsertPipeline} of their own, never into the other slot's, so each partition's offsets are
 * still committed in order. Its batch is handed over as soon as it is due and its previous insert is
 * acknowledged, whatever the other slot's insert is doing: on a slow server a top-lane record waits for at
 * most the top lane's insert in flight and its own, not for an INSERT of the lower lanes. The other slot
 * yields: its batch starts only while the top slot's insert is not running, and the top slot's batch (rows
 * read before) goes first; while it waits it keeps filling up to its row limit, then the lower lanes are held
 * (the top lane is always read). Pausing
 * moves no position, so exactly-once is untouched; a failure in either slot ends the other's insert,
 * drops both batches and pauses everything as before.
 */
final class SinkRunner implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SinkRunner.class);

    /** A batch being filled and its insert pipeline (one delivery in flight), for a fixed set of partitions. */
    private static final class Slot {
        final int index;
        final String name;
        final InsertPipeline pipeline;
        PendingBatch batch;

        Slot(int index, String name, PendingBatch batch, InsertPipeline pipeline) {
            this.index = index;
            this.name = name;
            this.batch = batch;
            this.pipeline = pipeline;
        }
    }

    private final Consumer<byte[], byte[]> consumer;
    private final ExactlyOnceDelivery delivery;
    private final ParallelMapper mapper;
    /** Every partition but the top lane's. */
    private final Slot main;
    /** The top lane's own slot with more than one lane; null otherwise. */
    private final Slot top;
    /** The top slot first. */
    private final List<Slot> slots;
    private final String topLane;
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
    /** A lane opened while the main batch held rows of higher lanes: that batch is due now. */
    private boolean mainForced;
    /** The top slot's batch was handed over ahead of the due main batch (once per main batch). */
    private boolean topWentFirst;

    SinkRunner(Consumer<byte[], byte[]> consumer, ExactlyOnceDelivery delivery, ParallelMapper mapper,
               PendingBatch batch, Backoff backoff, Map<String, List<Table>> tablesOf, Clock clock,
               InsertRecorder recorder, LaneGate gate) {
        this(consumer, delivery, mapper, batch, backoff, tablesOf, clock, recorder, SinkMeters.none(), gate);
    }

    SinkRunner(Consumer<byte[], byte[]> consumer, ExactlyOnceDelivery delivery, ParallelMapper mapper,
               PendingBatch batch, Backoff backoff, Map<String, List<Table>> tablesOf, Clock clock,
               InsertRecorder recorder, SinkMeters meters, LaneGate gate) {
        this.meters = meters;
        this.lanes = gate == null ? null : new LaneGating(consumer, gate, clock);
        this.consumer = consumer;
        this.delivery = delivery;
        this.mapper = mapper;
        this.main = new Slot(0, "main", batch, new InsertPipeline(delivery, batch.twin()));
        if (lanes != null && lanes.ordered()) {
            this.topLane = lanes.topLane();
            PendingBatch topBatch = batch.twin();
            // its INSERTs are small: their pace would shrink every batch's row cap
            this.top = new Slot(1, "top lane", topBatch,
                    new InsertPipeline(delivery, topBatch.twin(), "tagpipe-sink-insert-top", false));
            this.slots = List.of(top, main);
        } else {
            this.topLane = null;
            this.top = null;
            this.slots = List.of(main);
        }
        this.held = new HeldRecords(recorder, slots.size());
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
                } else if (top == null) {
                    pollOneSlot();
                } else {
                    pollTwoSlots();
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
                slots.forEach(s -> s.pipeline.close());
                mapper.close();
            }
            consumer.close(Duration.ofSeconds(10));
            log.info("sink stopped after writing {} rows", rowsWritten.get());
        }
    }

    private void pollOneSlot() {
        if (gateLanes() && !main.batch.isEmpty()) {
            handOff(main); // the higher lanes' rows go into ClickHouse before the opened lane's
            if (paused) {
                return;
            }
        }
        pollIntoBatches(100);
        if (main.pipeline.isDone() && !complete(main)) {
            return; // commit a finished delivery promptly; on failure: paused, this batch dropped
        }
        if (main.batch.isDue(clock.millis(), !main.pipeline.isBusy())) {
            handOff(main);
        }
    }

    private void pollTwoSlots() {
        if (!completeFinished() || !startDue()) {
            return;
        }
        if (!mainForced && gateLanes() && !main.batch.isEmpty()) {
            mainForced = true; // the higher lanes' rows it holds go before the opened lane's
            if (!startDue()) {
                return;
            }
        }
        if (mainMayNotGrow()) {
            lanes.topLaneOnly();
        }
        pollIntoBatches(main.pipeline.isBusy() || top.pipeline.isBusy() ? 20 : 100);
        if (completeFinished()) {
            startDue();
        }
    }

    /**
     * The main batch waits for an insert and must not take more rows: a lane opened behind its rows, or it
     * reached its row limit (the insert-time cap). Otherwise it keeps growing while it waits, so a slow
     * server gets fewer, larger INSERTs from the lower lanes.
     */
    private boolean mainMayNotGrow() {
        return !main.batch.isEmpty() && (mainForced || main.batch.rowCount() >= main.batch.rowLimit() || main.batch.isFull());
    }

    /**
     * Polls once and adds each record to its slot's batch, partition by partition: the slot, the ledger's view
     * and the batch's offset range are looked up once per partition, not per record.
     */
    private void pollIntoBatches(long timeoutMs) {
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(timeoutMs));
        if (polled.isEmpty()) {
            return;
        }
        List<TopicPartition> partitions = new ArrayList<>(polled.partitions());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(polled.count());
        for (TopicPartition tp : partitions) {
            records.addAll(polled.records(tp));
        }
        Mapped[] mapped = mapper.mapAll(records);
        long now = clock.millis();
        int from = 0;
        for (TopicPartition tp : partitions) {
            int to = from + polled.records(tp).size();
            if (to > from) {
                addRun(top != null && tp.topic().equals(topLane) ? top : main, tp, records, mapped, from, to, now);
            }
            from = to;
        }
    }

    /** Adds records {@code [from, to)}, one partition's in offset order, to the slot's batch. */
    private void addRun(Slot slot, TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records, Mapped[] mapped,
                        int from, int to, long now) {
        OffsetLedger.Partition ledger = delivery.ledger().partition(tp);
        boolean check = !ledger.noneStoredFrom(records.get(from).offset());
        PendingBatch batch = slot.batch;
        batch.cover(tp, records.get(from).offset(), records.get(to - 1).offset(), now);
        long oldest = Long.MAX_VALUE;
        for (int i = from; i < to; i++) {
            ConsumerRecord<byte[], byte[]> r = records.get(i);
            Mapped m = mapped[i];
            if (check && m instanceof Row row && ledger.isStored(row.table(), r.offset())) {
                m = null;
            }
            byte[] value = r.value();
            batch.add(m, (value == null ? 0 : value.length) + 64);
            long ts = r.timestamp();
            if (ts >= 0 && ts < oldest) {
                oldest = ts;
            }
        }
        held.polled(slot.index, oldest == Long.MAX_VALUE ? -1 : oldest);
    }

    /**
     * Two slots: hands over what is due and may go. The top slot's batch whenever its previous insert is
     * acknowledged (when it is full while that insert runs, waits for it); the main batch only while the
     * top slot's insert is not running, and after the top slot's batch if that holds rows. False when a
     * delivery failed (paused).
     */
    private boolean startDue() {
        long now = clock.millis();
        if (!top.pipeline.isBusy() && top.batch.isDue(now, true)) {
            submit(top);
        } else if (top.pipeline.isBusy() && top.batch.isFull()) {
            handOff(top); // the top lane alone filled a batch during one of its inserts
            if (paused) {
                return false;
            }
        }
        if (!mainDue() || main.pipeline.isBusy() || top.pipeline.isBusy()) {
            return true;
        }
        if (!topWentFirst && !top.batch.isEmpty()) {
            submit(top); // top-lane rows read before the main batch was due are inserted before it
            topWentFirst = true;
            return true;
        }
        submit(main);
        mainForced = false;
        topWentFirst = false;
        return true;
    }

    /** Two slots: the main batch is due (it may still have to wait for an insert). */
    private boolean mainDue() {
        return !main.batch.isEmpty() && (mainForced || main.batch.isDue(clock.millis(), !main.pipeline.isBusy()));
    }

    /** Commits every delivery that has finished; false when one failed (then everything is paused). */
    private boolean completeFinished() {
        for (Slot s : slots) {
            if (s.pipeline.isDone() && !complete(s)) {
                return false;
            }
        }
        return true;
    }

    /** Applies the lane gate, if any (only while not paused for ClickHouse trouble); true when a lane opened. */
    private boolean gateLanes() {
        return lanes != null && lanes.apply();
    }

    /** Starts delivering the slot's batch; its pipeline is free. */
    private void submit(Slot s) {
        if (log.isDebugEnabled()) {
            log.debug("handing over {} records ({}), per topic {}", s.batch.rowCount(), s.name, s.batch.recordsPerTopic());
        }
        s.batch = s.pipeline.submit(s.batch);
        held.handedOver(s.index);
    }

    /** Waits for the slot's delivery in flight, then starts delivering its current batch. */
    private void handOff(Slot s) {
        if (complete(s) && !s.batch.isEmpty()) {
            submit(s);
        }
    }

    /** Delivers everything consumed so far and waits for it (rebalance, shutdown): the top lane first. */
    private void flushAndWait() {
        for (Slot s : slots) {
            handOff(s);
            if (paused || !complete(s)) {
                return;
            }
        }
        mainForced = false;
        topWentFirst = false;
    }

    /** Waits for every slot's delivery in flight and commits it; false when one failed (paused). */
    private boolean completeAll() {
        for (Slot s : slots) {
            if (!complete(s)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits for the slot's delivery in flight (if any) and commits its offsets. When it failed, the
     * batches being filled are dropped too (they lie beyond the failed one), the other slot's delivery
     * ends first, the sink pauses, and resuming seeks to what ClickHouse holds; returns false then.
     */
    private boolean complete(Slot s) {
        try {
            acknowledged(s, s.pipeline.await());
            return true;
        } catch (DeliveryException e) {
            failed(s, e);
            return false;
        }
    }

    private void acknowledged(Slot s, InsertPipeline.Done done) {
        if (done != null) {
            rowsWritten.addAndGet(done.rows());
            meters.delivered(done.rows());
            commit(done.offsets());
            held.acknowledged(s.index);
        }
    }

    /**
     * A delivery failed. The other slot's delivery in flight ends first — its partitions are its own, so
     * when it succeeded its offsets are committed — no insert may run while the recovery reads ClickHouse.
     */
    private void failed(Slot failedSlot, DeliveryException e) {
        for (Slot s : slots) {
            if (s != failedSlot) {
                try {
                    acknowledged(s, s.pipeline.await());
                } catch (DeliveryException also) {
                    log.debug("the {} slot's delivery failed too: {}", s.name, also.getMessage());
                }
            }
            s.batch.clear();
        }
        mainForced = false;
        topWentFirst = false;
        held.failed();
        if (e.kind() == ErrorClass.FATAL) {
            throw new IllegalStateException("sink cannot continue: " + e.getMessage(), e);
        }
        unavailable(e);
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

    private void dropBatches() {
        slots.forEach(s -> s.batch.clear());
        mainForced = false;
        topWentFirst = false;
        held.revoked();
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final Set<TopicPartition> owned = new HashSet<>();

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!paused) {
                flushAndWait(); // hand over a clean position; on failure the next owner seeks from ClickHouse
            }
            dropBatches();
            owned.removeAll(partitions);
            assigned = owned.size();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            for (Slot s : slots) {
                try {
                    s.pipeline.await(); // let it finish; not committed: the next owner seeks from ClickHouse
                } catch (DeliveryException e) {
                    log.debug("delivery in flight failed while partitions were lost: {}", e.getMessage());
                }
            }
            dropBatches();
            owned.removeAll(partitions);
            assigned = owned.size();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            owned.addAll(partitions);
            assigned = owned.size();
            if (!paused && !completeAll()) {
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
