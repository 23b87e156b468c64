package io.tagpipe.sink;

/** What a consumed Kafka record becomes: a {@link Row} for a table, or an {@link Unreadable} for the DLQ. */
sealed interface Mapped permits Row, Unreadable {
    String topic();

    int partition();

    long offset();
}
