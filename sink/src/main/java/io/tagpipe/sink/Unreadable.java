package io.tagpipe.sink;

/** A record the sink cannot turn into a row, or a row ClickHouse refused: goes to the DLQ with its reason. */
record Unreadable(String topic, int partition, long offset, byte[] key, byte[] original, String reason, String error)
        implements Mapped {
}
