package io.tagpipe.processor;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** A kept record, encoded, with the topic its policy routes it to. */
record Routed(String topic, byte[] bytes) {

    /** Write-only: routed records are produced, never read back as {@code Routed}. */
    static Serde<Routed> serde() {
        Serializer<Routed> ser = (topic, r) -> r == null ? null : r.bytes();
        Deserializer<Routed> de = (topic, bytes) -> {
            throw new UnsupportedOperationException("Routed is write-only");
        };
        return Serdes.serdeFrom(ser, de);
    }
}
