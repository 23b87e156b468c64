package io.tagpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.policy.Policy;
import io.tagpipe.wire.policy.PolicyCodec;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.StatsRecord;

/**
 * A restore after a crash reads the stores' changelogs, so what each commit leaves there is what survives
 * it. The driver commits after every input record and every punctuation, the way a stream thread commits
 * (the task flushes its stores' caches, then the producer, then the transaction with the offsets).
 * The stores buffer their writes until that flush ({@link CommitBufferedStore}): these tests fail if the
 * flush stops reaching them.
 */
class StatsChangelogTest {
    private static final String APP_ID = "changelog-test";
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final String KEPT = new Outcome("billing", "log", "INFO", StatsRecord.KEPT,
            StatsRecord.minuteOf(T0.toEpochMilli())).key();
    private final ProcessorTopics topics = ProcessorTopics.defaults();
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> records;

    @BeforeEach
    void start() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APP_ID);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(new TagpipeTopology(topics, Duration.ofSeconds(5), new AtomicLong()).build(), p, T0);
        records = driver.createInputTopic(topics.records(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void everyCommitLeavesTheCountsSoFarInTheChangelog_andTheDrainLeavesATombstone() {
        TestOutputTopic<String, Long> changelog = changelog(TagpipeTopology.STATS_STORE, new LongDeserializer());

        for (long n = 1; n <= 3; n++) {
            send("billing", "b" + n);
            assertThat(changelog.readKeyValuesToList()).as("after record %d", n)
                    .extracting(kv -> kv.key, kv -> kv.value).containsExactly(tuple(KEPT, n));
        }
        driver.advanceWallClockTime(Duration.ofSeconds(6));

        assertThat(changelog.readKeyValuesToList()).extracting(kv -> kv.key, kv -> kv.value)
                .containsExactly(tuple(KEPT, null));
    }

    @Test
    void everyCommitLeavesTheAppsTokenBucketInTheChangelog() throws Exception {
        driver.createInputTopic(topics.policies(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput("billing", new PolicyCodec().encode(Policy.of(Map.of("max_records_per_sec", 10))));
        TestOutputTopic<String, byte[]> changelog = changelog(TagpipeTopology.RATE_LIMIT_STORE, new ByteArrayDeserializer());

        for (int n = 1; n <= 3; n++) {
            send("billing", "b" + n);  // all in the same millisecond: one token each
            List<byte[]> values = changelog.readValuesToList();
            assertThat(values).as("after record %d", n).hasSize(1);
            assertThat(RateLimiter.serde().deserializer().deserialize("", values.get(0)))
                    .isEqualTo(new TokenBucket(10 - n, T0.toEpochMilli()));
        }
    }

    private <V> TestOutputTopic<String, V> changelog(String store, Deserializer<V> values) {
        return driver.createOutputTopic(APP_ID + "-" + store + "-changelog", new StringDeserializer(), values);
    }

    private void send(String app, String id) {
        Envelope e = Envelope.log(id, app, T0.toEpochMilli()).level("INFO").message("m " + id).build();
        records.pipeInput(new TestRecord<>(app.getBytes(StandardCharsets.UTF_8), codec.encode(e), T0));
    }
}
