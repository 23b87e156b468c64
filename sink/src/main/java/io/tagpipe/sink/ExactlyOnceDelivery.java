package io.tagpipe.sink;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;

import io.tagpipe.sink.pressure.InsertRecorder;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery strategy: a batch is a set of (topic, partition, first offset, last offset) ranges;
 * its rows are written table by table with one INSERT per ClickHouse partition (so no insert
 * meets {@code max_partitions_per_insert_block}), refused rows are isolated by bisection and
 * dead-lettered, and only then are the Kafka offsets handed back to be committed. Every row stores
 * its source offset, so after a crash or a failed insert {@link #recover} reads exactly which
 * uncommitted offsets each table holds (see {@link OffsetLedger}).
 */
final class ExactlyOnceDelivery {
    private static final Logger log = LoggerFactory.getLogger(ExactlyOnceDelivery.class);

    private final Store store;
    private final DeadLetters deadLetters;
    private final OffsetLedger ledger;
    private final InsertRecorder recorder;
    private final SinkMeters meters;
    /** Turns of the insert slots when the store takes one INSERT at a time. */
    private final ReentrantLock turns = new ReentrantLock(true);
    /** Topic → lane rank (0 = highest); null: no lane order. */
    private ToIntFunction<String> laneRank;

    ExactlyOnceDelivery(Store store, DeadLetters deadLetters) {
        this(store, deadLetters, OffsetLedger.DEFAULT_FALLBACK_LOOKBACK, new InsertRecorder(java.time.Clock.systemUTC()));
    }

    ExactlyOnceDelivery(Store store, DeadLetters deadLetters, InsertRecorder recorder) {
        this(store, deadLetters, OffsetLedger.DEFAULT_FALLBACK_LOOKBACK, recorder, SinkMeters.none());
    }

    ExactlyOnceDelivery(Store store, DeadLetters deadLetters, InsertRecorder recorder, SinkMeters meters) {
        this(store, deadLetters, OffsetLedger.DEFAULT_FALLBACK_LOOKBACK, recorder, meters);
    }

    ExactlyOnceDelivery(Store store, DeadLetters deadLetters, long fallbackLookback, InsertRecorder recorder) {
        this(store, deadLetters, fallbackLookback, recorder, SinkMeters.none());
    }

    ExactlyOnceDelivery(Store store, DeadLetters deadLetters, long fallbackLookback, InsertRecorder recorder,
                        SinkMeters meters) {
        this.meters = meters;
        this.store = store;
        this.deadLetters = deadLetters;
        this.ledger = new OffsetLedger(fallbackLookback);
        this.recorder = recorder;
    }

    OffsetLedger ledger() {
        return ledger;
    }

    /** Re-reads what the tables hold of these partitions; returns where each resumes. Throws what the store threw. */
    Map<TopicPartition, OffsetLedger.Resume> recover(Map<TopicPartition, OffsetLedger.KafkaPosition> kafka,
                                                    Map<String, List<Table>> tablesOf) throws Exception {
        return ledger.recover(store, kafka, tablesOf);
    }

    /**
     * Inserts the slices holding a higher lane's rows first (lanes = these topics, highest first): a
     * batch mixing lanes is one INSERT per ClickHouse partition, and a critical row must not wait for
     * a low tier's INSERT of the same batch. Rows of other topics (stats) come after every lane's.
     */
    ExactlyOnceDelivery withLaneOrder(List<String> lanes) {
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < lanes.size(); i++) {
            rank.putIfAbsent(lanes.get(i), i);
        }
        this.laneRank = topic -> rank.getOrDefault(topic, Integer.MAX_VALUE);
        return this;
    }

    /** Writes the batch; returns the offsets that may now be committed. */
    Map<TopicPartition, OffsetAndMetadata> deliver(PendingBatch batch) throws DeliveryException {
        return deliver(batch, true);
    }

    /**
     * As {@link #deliver(PendingBatch)}; with {@code paced} false its INSERTs do not feed the pace behind the
     * row cap ({@link InsertRecorder#succeeded(long, int, boolean)}): the top lane's own slot.
     */
    Map<TopicPartition, OffsetAndMetadata> deliver(PendingBatch batch, boolean paced) throws DeliveryException {
        // DLQ first: a record below the committed offset must be in ClickHouse or in the DLQ
        sendDeadLetters(batch.unreadable());
        for (EncodedRows.Slice partition : insertOrder(batch)) {
            insert(partition, paced);
        }
        return batch.commitOffsets();
    }

    /** Table by table, partitions as first seen; with a lane order, stably sorted by the best lane each slice holds. */
    private List<EncodedRows.Slice> insertOrder(PendingBatch batch) {
        List<EncodedRows.Slice> slices = new ArrayList<>();
        batch.rows().values().forEach(rows -> slices.addAll(rows.byPartition()));
        if (laneRank == null || slices.size() < 2) {
            return slices;
        }
        Map<EncodedRows.Slice, Integer> best = new IdentityHashMap<>();
        for (EncodedRows.Slice slice : slices) {
            int r = Integer.MAX_VALUE;
            String last = null;
            for (int i = 0; i < slice.size() && r > 0; i++) {
                String topic = slice.source(i).topic();
                if (!topic.equals(last)) {
                    last = topic;
                    r = Math.min(r, laneRank.applyAsInt(topic));
                }
            }
            best.put(slice, r);
        }
        slices.sort(Comparator.comparingInt(best::get));
        return slices;
    }

    /**
     * Inserts rows of one partition. Refused data is halved until the refused rows are alone (DLQ);
     * an insert too big for the server's memory is halved until it fits (one row too big: retry later).
     */
    private void insert(EncodedRows.Slice rows, boolean paced) throws DeliveryException {
        if (rows.size() == 0) {
            return;
        }
        Exception error = insertOnce(rows, paced);
        if (error == null) {
            return;
        }
        ErrorClass kind = ErrorClass.of(error);
        if (kind == ErrorClass.REJECTED && rows.size() == 1) {
            deadLetter(rows.source(0), error);
            return;
        }
        if (kind == ErrorClass.TOO_BIG && rows.size() > 1) {
            log.info("{} rows of {} {} too big for ClickHouse's memory, inserting them in halves",
                    rows.size(), rows.table().tableName(), Partitioning.sql(rows.partition(0)));
        } else if (kind != ErrorClass.REJECTED) {
            throw failure(kind, rows, error);
        }
        int mid = rows.size() / 2;
        insert(rows.head(mid), paced);
        insert(rows.tail(mid), paced);
    }

    /**
     * One INSERT, measured for the pressure signals and the metrics; null when it succeeded, else what the
     * store threw. When the store takes one INSERT at a time ({@link Store#oneInsertAtATime()}), the insert
     * slots take turns (a fair lock: the top lane's INSERT goes next after the one running), and the wait is
     * not counted as the INSERT's latency.
     */
    private Exception insertOnce(EncodedRows.Slice rows, boolean paced) {
        boolean serial = store.oneInsertAtATime();
        if (serial) {
            turns.lock();
        }
        try {
            long start = recorder.started();
            long startNs = System.nanoTime();
            try {
                store.insert(rows);
            } catch (Exception e) {
                meters.inserted(System.nanoTime() - startNs, 0);
                // refused data is no sign of a struggling database, nor is a refused connection (an outage: Kafka holds it)
                recorder.finished(start, ErrorClass.of(e) != ErrorClass.REJECTED, ErrorClass.unreachable(e));
                return e;
            }
            recorder.succeeded(start, rows.size(), paced);
            meters.inserted(System.nanoTime() - startNs, rows.size());
            if (rows.table() != Table.INGEST_STATS) {
                meters.acknowledged(rows, System.currentTimeMillis());
            }
            return null;
        } finally {
            if (serial) {
                turns.unlock();
            }
        }
    }

    private static DeliveryException failure(ErrorClass kind, EncodedRows.Slice rows, Exception e) {
        String what = "insert of " + rows.size() + " rows into " + rows.table().tableName() + " partition "
                + Partitioning.sql(rows.partition(0));
        return switch (kind) {
            case TOO_BIG -> new DeliveryException(ErrorClass.RETRIABLE, "one row is too big for ClickHouse's "
                    + "memory now (" + what + "): " + e.getMessage(), e);
            case TOO_MANY_PARTITIONS -> new DeliveryException(ErrorClass.FATAL, what + " refused as too many "
                    + "partitions although the sink sends one partition per insert: the table's PARTITION BY is "
                    + "not the sink's " + Partitioning.PARTITION_BY + " in the server's time zone (raise "
                    + "max_partitions_per_insert_block or recreate the table): " + e.getMessage(), e);
            default -> new DeliveryException(kind, what + " failed: " + e.getMessage(), e);
        };
    }

    private void deadLetter(EncodedRows.Source r, Exception e) throws DeliveryException {
        log.warn("ClickHouse rejected {}:{}@{} ({}), sending it to the DLQ", r.topic(), r.partition(), r.offset(),
                firstLine(e.getMessage()));
        sendDeadLetters(List.of(new Unreadable(r.topic(), r.partition(), r.offset(), r.key(), r.original(),
                "clickhouse_rejected", firstLine(e.getMessage()))));
    }

    private void sendDeadLetters(List<Unreadable> records) throws DeliveryException {
        if (records.isEmpty()) {
            return;
        }
        try {
            deadLetters.sendAll(records);
        } catch (Exception e) {
            throw new DeliveryException(ErrorClass.RETRIABLE, "DLQ unavailable: " + e.getMessage(), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
