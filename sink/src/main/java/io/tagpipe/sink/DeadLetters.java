package io.tagpipe.sink;

import java.util.List;

/** Where unreadable and rejected records go. {@link #sendAll} returns only once every record is durable. */
interface DeadLetters extends AutoCloseable {
    void sendAll(List<Unreadable> records) throws Exception;

    @Override
    default void close() {
    }
}
