package io.tagpipe.processor;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import io.tagpipe.wire.Topics;
import io.tagpipe.wire.UnreadableRecordException;

/**
 * An unreadable record as it goes to the DLQ: the original bytes, with reason and origin in headers.
 * Values over {@value #MAX_VALUE_BYTES} bytes (only {@code too_large} ones: the codec reads up to
 * 1 MiB) keep their first {@value #MAX_VALUE_BYTES} bytes and the original size in a header: the
 * whole value could exceed the producer's or the DLQ topic's size limit, and a failed DLQ write
 * would stop the processor.
 */
final class DeadLetter {
    static final int MAX_VALUE_BYTES = 512 * 1024;

    private DeadLetter() {
    }

    static Record<byte[], byte[]> of(Record<byte[], byte[]> record, UnreadableRecordException why,
            Optional<RecordMetadata> origin) {
        Headers headers = record.headers();
        put(headers, Topics.DLQ_REASON_HEADER, why.reason() + ": " + why.getMessage());
        origin.ifPresent(m -> origin(headers, m));
        byte[] value = record.value();
        if (value != null && value.length > MAX_VALUE_BYTES) {
            put(headers, Topics.DLQ_ORIGINAL_SIZE_HEADER, String.valueOf(value.length));
            value = Arrays.copyOf(value, MAX_VALUE_BYTES);
        }
        return record.withValue(value).withHeaders(headers);
    }

    private static void origin(Headers headers, RecordMetadata m) {
        put(headers, Topics.DLQ_SOURCE_TOPIC_HEADER, m.topic());
        put(headers, Topics.DLQ_SOURCE_PARTITION_HEADER, String.valueOf(m.partition()));
        put(headers, Topics.DLQ_SOURCE_OFFSET_HEADER, String.valueOf(m.offset()));
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
