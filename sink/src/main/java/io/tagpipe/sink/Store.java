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

    /** Highest {@code kafka_offset} {@code table} holds inside each window; partitions without rows there are absent. */
    Map<TopicPartition, Long> maxOffsets(Table table, Map<TopicPartition, Window> windows) throws Exception;

    /** Hands every {@code kafka_offset} {@code table} holds inside each window to {@code sink}. */
    void storedOffsets(Table table, Map<TopicPartition, Window> windows, OffsetSink sink) throws Exception;
}
