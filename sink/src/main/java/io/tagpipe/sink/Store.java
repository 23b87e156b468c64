package io.tagpipe.sink;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/** What the delivery strategy needs from the database; ClickHouse in production, a fake in unit tests. */
interface Store {
    /** Offsets {@code [from, to)} of one topic-partition. */
    record Window(long from, long to) {
    }

    /** Receives stored offsets one by one. */
    @FunctionalInterface
    interface OffsetSink {
        void accept(TopicPartition tp, long offset);
    }

    /** Inserts the rows in one INSERT; throws what the database threw. */
    void insert(EncodedRows.Slice rows) throws Exception;

    /**
     * True when concurrent INSERTs would fail each other: a quorum insert on a ClickHouse cluster
     * ({@code UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE} while the previous one has no quorum yet). The sink's two
     * insert slots then take turns per INSERT.
     */
    default boolean oneInsertAtATime() {
        return false;
    }

    /** Highest {@code kafka_offset} {@code table} holds inside each window; partitions without rows there are absent. */
    Map<TopicPartition, Long> maxOffsets(Table table, Map<TopicPartition, Window> windows) throws Exception;

    /** Hands every {@code kafka_offset} {@code table} holds inside each window to {@code sink}. */
    void storedOffsets(Table table, Map<TopicPartition, Window> windows, OffsetSink sink) throws Exception;
}
