package io.tagpipe.processor;

import org.apache.kafka.common.serialization.Serializer;

/** A kept record, encoded, with the topic its policy routes it to. */
record Routed(String topic, byte[] bytes) {

    static Serializer<Routed> serializer() {
        return (topic, r) -> r == null ? null : r.bytes();
    }
}
