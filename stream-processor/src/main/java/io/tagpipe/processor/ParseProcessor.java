package io.tagpipe.processor;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.Labels;
import io.tagpipe.wire.UnreadableRecordException;

/** Bytes → {@link Parsed}; never throws: an unreadable record becomes a {@link Parsed} with a reason. */
final class ParseProcessor implements FixedKeyProcessor<byte[], byte[], Parsed> {
    private final EnvelopeCodec codec;
    private FixedKeyProcessorContext<byte[], Parsed> context;

    ParseProcessor(EnvelopeCodec codec) {
        this.codec = codec;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Parsed> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        Parsed parsed;
        try {
            var decoded = codec.read(record.value());
            parsed = new Parsed(decoded, null, decoded.app(), null, null, record.timestamp());
        } catch (UnreadableRecordException e) {
            parsed = new Parsed(null, record.value(), appFromKey(record.key()), e.reason(), e.getMessage(),
                    record.timestamp());
        }
        context.forward(record.withValue(parsed));
    }

    private static String appFromKey(byte[] key) {
        String app = key == null ? null : Labels.normalise(new String(key, StandardCharsets.UTF_8));
        return app == null ? Parsed.UNKNOWN_APP : app;
    }
}
