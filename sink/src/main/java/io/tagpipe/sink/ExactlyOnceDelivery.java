package io.tagpipe.sink;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery strategy: a batch is a set of (topic, partition, first offset, last offset) ranges;
 * its rows are written table by table in offset order, refused rows are isolated by bisection and
 * dead-lettered, and only then are the Kafka offsets handed back to be committed. Every row stores
 * its source offset, so after a crash or a failed insert {@link #recover()} re-reads what ClickHouse
 * holds and the consumer seeks past it (see {@link OffsetLedger}).
 */
final class ExactlyOnceDelivery {
    private static final Logger log = LoggerFactory.getLogger(ExactlyOnceDelivery.class);

    private final Store store;
    private final DeadLetters deadLetters;
    private final OffsetLedger ledger = new OffsetLedger();

    ExactlyOnceDelivery(Store store, DeadLetters deadLetters) {
        this.store = store;
        this.deadLetters = deadLetters;
    }

    OffsetLedger ledger() {
        return ledger;
    }

    /** Re-reads the stored offsets of every table; throws what the store threw. */
    void recover() throws Exception {
        Map<Table, Map<TopicPartition, Long>> m = new EnumMap<>(Table.class);
        for (Table t : Table.values()) {
            m.put(t, store.maxOffsets(t));
        }
        ledger.reload(m);
    }

    /** Writes the batch; returns the offsets that may now be committed. */
    Map<TopicPartition, OffsetAndMetadata> deliver(PendingBatch batch) throws DeliveryException {
        // DLQ first: once later offsets are in ClickHouse, a restart would seek past these records
        sendDeadLetters(batch.unreadable());
        for (EncodedRows rows : batch.rows().values()) {
            insertIsolating(rows.all());
        }
        return batch.commitOffsets();
    }

    /** Inserts rows; when ClickHouse refuses the data, halves until the refused rows are alone. */
    private void insertIsolating(EncodedRows.Slice rows) throws DeliveryException {
        if (rows.size() == 0) {
            return;
        }
        Table table = rows.table();
        try {
            store.insert(rows);
            ledger.acknowledge(table, rows.sources());
            return;
        } catch (Exception e) {
            ErrorClass kind = ErrorClass.of(e);
            if (kind != ErrorClass.REJECTED) {
                throw new DeliveryException(kind, "insert of " + rows.size() + " rows into " + table.tableName()
                        + " failed: " + e.getMessage(), e);
            }
            if (rows.size() == 1) {
                EncodedRows.Source r = rows.source(0);
                log.warn("ClickHouse rejected {}:{}@{} ({}), sending it to the DLQ", r.topic(), r.partition(),
                        r.offset(), firstLine(e.getMessage()));
                sendDeadLetters(List.of(new Unreadable(r.topic(), r.partition(), r.offset(), r.key(), r.original(),
                        "clickhouse_rejected", firstLine(e.getMessage()))));
                return;
            }
        }
        int mid = rows.size() / 2;
        // left before right keeps each partition's rows in offset order (the ledger relies on it)
        insertIsolating(rows.head(mid));
        insertIsolating(rows.tail(mid));
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
