package io.tagpipe.processor;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import io.tagpipe.wire.Topics;

/** An unreadable record as it goes to the DLQ: the original bytes, with reason and origin in headers. */
final class DlqRecordProcessor implements FixedKeyProcessor<byte[], Parsed, byte[]> {
    private FixedKeyProcessorContext<byte[], byte[]> context;

    @Override
    public void init(FixedKeyProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], Parsed> record) {
        Parsed p = record.value();
        Headers headers = record.headers();
        put(headers, Topics.DLQ_REASON_HEADER, p.reason() + ": " + p.message());
        context.recordMetadata().ifPresent(m -> origin(headers, m));
        context.forward(record.withValue(p.raw()).withHeaders(headers));
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
