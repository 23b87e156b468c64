package io.tagpipe.sink;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/** What the delivery strategy needs from the database; ClickHouse in production, a fake in unit tests. */
interface Store {
    /** Inserts the rows atomically (one INSERT, one block); throws what the database threw. */
    void insert(EncodedRows.Slice rows) throws Exception;

    /** Highest stored {@code kafka_offset} per topic-partition in {@code table}. */
    Map<TopicPartition, Long> maxOffsets(Table table) throws Exception;
}
