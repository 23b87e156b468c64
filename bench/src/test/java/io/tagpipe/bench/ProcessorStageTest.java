package io.tagpipe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.policy.Importance;
import io.tagpipe.wire.policy.PolicyCodec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * The processor stage compares like with like: under keep-all policies the passthrough, which reads
 * nothing of a record, writes the very records the tagpipe topology keeps (same keys, same bytes),
 * logs and metrics alike; the other passthrough writes its input unchanged.
 */
class ProcessorStageTest {
    private static final int N = 400;
    private final ProcessorTopics topics = ProcessorTopics.prefixed("stage-test.");
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final long ts = System.currentTimeMillis();

    @Test
    void underKeepAllThePassthroughWritesTheRecordsTagpipeKeeps() {
        List<String> tagpipe = run(ProcessorStage.Side.TAGPIPE.topology(topics), topics.lane(Importance.NORMAL));
        List<String> passthrough = run(ProcessorStage.Side.PASSTHROUGH.topology(topics), passthroughOut());

        assertEquals(N, tagpipe.size(), "keep-all keeps every record");
        assertEquals(tagpipe, passthrough);
        assertTrue(passthrough.stream().anyMatch(r -> r.contains("\"kind\":\"metric\"")), "metrics are compared too");
        assertTrue(passthrough.get(0).endsWith(",\"importance\":\"normal\"}"), passthrough.get(0));
    }

    @Test
    void theOtherPassthroughWritesItsInputUnchanged() {
        List<String> input = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            ProducerRecord<byte[], byte[]> r = Traffic.producerRecord(codec, topics.records(), i, ts, false);
            input.add(text(r.key(), r.value()));
        }
        List<String> passthrough = run(ProcessorStage.Side.PASSTHROUGH_INPUT.topology(topics), passthroughOut());

        assertEquals(input, passthrough);
        assertNotEquals(input, run(ProcessorStage.Side.PASSTHROUGH.topology(topics), passthroughOut()));
    }

    /** Pipes the bench's records 0..N-1 (and the keep-all policy) through {@code t}; what {@code out} got, key | value. */
    private List<String> run(Topology t, String out) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "stage-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(t, p)) {
            if (t.describe().globalStores().size() > 0) {
                TestInputTopic<String, byte[]> policies = driver.createInputTopic(topics.policies(), new StringSerializer(),
                        new ByteArraySerializer());
                policies.pipeInput("*", new PolicyCodec().encode(ProcessorStage.KEEP_ALL_POLICY));
            }
            TestInputTopic<byte[], byte[]> records = driver.createInputTopic(topics.records(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            for (int i = 0; i < N; i++) {
                ProducerRecord<byte[], byte[]> r = Traffic.producerRecord(codec, topics.records(), i, ts, false);
                records.pipeInput(r.key(), r.value());
            }
            TestOutputTopic<byte[], byte[]> written = driver.createOutputTopic(out, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            return written.readKeyValuesToList().stream().map(kv -> text(kv.key, kv.value)).toList();
        }
    }

    private String passthroughOut() {
        return topics.records() + ".passthrough-out";
    }

    private static String text(byte[] key, byte[] value) {
        return new String(key, StandardCharsets.UTF_8) + " | " + new String(value, StandardCharsets.UTF_8);
    }
}
