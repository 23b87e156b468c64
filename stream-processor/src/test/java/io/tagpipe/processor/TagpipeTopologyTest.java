package io.tagpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.policy.Importance;
import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;
import io.tagpipe.wire.policy.PolicyCodec;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
import io.tagpipe.wire.Topics;
import io.tagpipe.wire.UnreadableRecordException;

class TagpipeTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private final ProcessorTopics topics = ProcessorTopics.defaults();
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final PolicyCodec policyCodec = new PolicyCodec();
    private final AtomicLong invalidPolicies = new AtomicLong();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> records;
    private TestInputTopic<String, byte[]> policies;
    private TestOutputTopic<byte[], byte[]> kept;
    private TestOutputTopic<byte[], byte[]> dlq;
    private TestOutputTopic<byte[], byte[]> stats;

    @BeforeEach
    void start() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(new TagpipeTopology(topics, Duration.ofSeconds(5), invalidPolicies).build(), p, T0);
        records = driver.createInputTopic(topics.records(), new ByteArraySerializer(), new ByteArraySerializer());
        policies = driver.createInputTopic(topics.policies(), new StringSerializer(), new ByteArraySerializer());
        kept = driver.createOutputTopic(topics.kept(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(topics.dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        stats = driver.createOutputTopic(topics.stats(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void keptRecordsAreTheInputBytesWithPolicyFieldsAndDecodeToTheInputEnvelopePlusPolicy() throws Exception {
        setPolicy("billing-api", Map.of("importance", "high"));
        String plain = "{ \"kind\":\"log\", \"id\":\"r1\", \"app\":\"Billing API\", \"ts\":" + T0.toEpochMilli()
                + ", \"level\":\"info\", \"region\":\"eu\", \"ctx\":{\"a\":[1]} } ";
        String ownRate = "{\"kind\":\"log\",\"id\":\"r2\",\"app\":\"billing-api\",\"ts\":" + T0.toEpochMilli()
                + ",\"sample_rate\":0.01,\"importance\":\"drop\"}";
        for (String json : List.of(plain, ownRate)) {
            records.pipeInput(new TestRecord<>("billing-api".getBytes(StandardCharsets.UTF_8),
                    json.getBytes(StandardCharsets.UTF_8), T0));
        }

        List<byte[]> out = lane(Importance.HIGH).readValuesToList();

        assertThat(out).hasSize(2);
        assertThat(codec.decode(out.get(0)))
                .isEqualTo(codec.decode(plain.getBytes(StandardCharsets.UTF_8)).withPolicy(1.0, 30, "high"));
        assertThat(new String(out.get(0), StandardCharsets.UTF_8))
                .isEqualTo(plain.substring(0, plain.lastIndexOf('}'))
                        + ",\"sample_rate\":1.0,\"retention_days\":30,\"importance\":\"high\"}");
        assertThat(codec.decode(out.get(1)))
                .isEqualTo(codec.decode(ownRate.getBytes(StandardCharsets.UTF_8)).withPolicy(1.0, 30, "high"));
    }

    private void setPolicy(String app, Map<String, ?> fields) throws InvalidPolicyException {
        policies.pipeInput(app, policyCodec.encode(Policy.of(fields)));
    }

    private void send(Envelope e) {
        records.pipeInput(new TestRecord<>(e.app().getBytes(StandardCharsets.UTF_8), codec.encode(e), T0));
    }

    private static Envelope log(String app, String id, String level) {
        return Envelope.log(id, app, T0.toEpochMilli()).level(level).message("m " + id).build();
    }

    private List<Envelope> readKept(TestOutputTopic<byte[], byte[]> topic) {
        return topic.readValuesToList().stream().map(b -> {
            try {
                return codec.decode(b);
            } catch (UnreadableRecordException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    /** Sum of emitted stats per "app/reason" (lines are deltas). */
    private Map<String, Long> statsTotals() {
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        Map<String, Long> totals = new HashMap<>();
        for (byte[] v : stats.readValuesToList()) {
            try {
                StatsRecord s = StatsRecord.decode(v);
                totals.merge(s.app() + "/" + s.reason(), s.count(), Long::sum);
            } catch (UnreadableRecordException e) {
                throw new AssertionError(e);
            }
        }
        return totals;
    }

    @Test
    void unconfiguredAppsAreKeptWhole_andEnrichedWithTheBuiltInDefault() {
        send(log("billing", "r1", "DEBUG"));
        List<Envelope> out = readKept(kept);
        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("r1");
            assertThat(e.sampleRate()).isEqualTo(1.0);
            assertThat(e.retentionDays()).isEqualTo(14);
            assertThat(e.importance()).isEqualTo("normal");
        });
        assertThat(statsTotals()).containsExactlyInAnyOrderEntriesOf(Map.of("billing/kept", 1L));
    }

    @Test
    void unreadableRecordsGoToTheDlqWithOriginalBytesAndReason_andAreCounted() {
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
        records.pipeInput(new TestRecord<>("Billing API".getBytes(StandardCharsets.UTF_8), garbage, T0));
        records.pipeInput(new TestRecord<>(null, "{\"v\":1}".getBytes(StandardCharsets.UTF_8), T0));

        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        assertThat(header(dead.get(0), Topics.DLQ_REASON_HEADER)).startsWith("malformed_json: ");
        assertThat(header(dead.get(0), Topics.DLQ_SOURCE_TOPIC_HEADER)).isEqualTo(topics.records());
        assertThat(header(dead.get(0), Topics.DLQ_SOURCE_OFFSET_HEADER)).isEqualTo("0");
        assertThat(header(dead.get(1), Topics.DLQ_REASON_HEADER)).startsWith("missing_field: ");
        assertThat(kept.isEmpty()).isTrue();
        assertThat(statsTotals()).containsExactlyInAnyOrderEntriesOf(
                Map.of("billing-api/unreadable", 1L, "unknown/unreadable", 1L));
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void appPolicyThenDefaultPolicyThenBuiltIn() throws Exception {
        setPolicy("*", Map.of("importance", "low"));
        setPolicy("billing", Map.of("importance", "critical"));
        send(log("billing", "b1", "DEBUG"));
        send(log("search", "s1", "DEBUG"));
        List<Envelope> out = readKept(lane(Importance.CRITICAL));
        assertThat(out).extracting(Envelope::id).containsExactly("b1");
        assertThat(out.get(0).retentionDays()).isEqualTo(90);
        assertThat(statsTotals()).containsEntry("search/min_level", 1L);
    }

    @Test
    void samplingKeepsExactlyThePredictedRecords_andStatsAddUp() throws Exception {
        setPolicy("web", Map.of("sample_rate", 0.3, "min_level", "INFO"));
        int n = 1_000;
        long expectedKept = 0;
        for (int i = 0; i < n; i++) {
            String level = i % 10 == 0 ? "DEBUG" : i % 50 == 1 ? "ERROR" : "INFO";
            send(log("web", "w" + i, level));
            if (level.equals("ERROR") || (level.equals("INFO") && Sampling.fraction("w" + i) < 0.3)) {
                expectedKept++;
            }
        }
        List<Envelope> out = readKept(kept);
        assertThat(out).hasSize((int) expectedKept);
        assertThat(out).filteredOn(e -> e.level().equals("INFO")).allSatisfy(e -> assertThat(e.sampleRate()).isEqualTo(0.3));
        assertThat(out).filteredOn(e -> e.level().equals("ERROR")).hasSize(20)
                .allSatisfy(e -> assertThat(e.sampleRate()).isEqualTo(1.0));
        Map<String, Long> totals = statsTotals();
        assertThat(totals.get("web/kept")).isEqualTo(expectedKept);
        assertThat(totals.get("web/min_level")).isEqualTo(100L);
        assertThat(totals.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(n);
    }

    @Test
    void rateCapDropsBeyondTheBucketWithReasonRateLimit() throws Exception {
        setPolicy("chatty", Map.of("max_records_per_sec", 10));
        for (int i = 0; i < 50; i++) {
            send(log("chatty", "c" + i, "INFO"));  // all in the same millisecond
        }
        send(log("chatty", "boom", "ERROR"));
        assertThat(readKept(kept)).hasSize(11);
        assertThat(statsTotals()).containsExactlyInAnyOrderEntriesOf(Map.of("chatty/kept", 11L, "chatty/rate_limit", 40L));
    }

    @Test
    void keptRecordsFollowTheirPolicysRoute() throws Exception {
        setPolicy("payments", Map.of("importance", "high", "route", "payments.kept"));
        send(log("payments", "p1", "INFO"));
        TestOutputTopic<byte[], byte[]> routed = driver.createOutputTopic("payments.kept",
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        assertThat(readKept(routed)).extracting(Envelope::id, Envelope::importance).containsExactly(
                org.assertj.core.groups.Tuple.tuple("p1", "high"));
        assertThat(topics.lanes()).allSatisfy(lane -> assertThat(output(lane).isEmpty()).as(lane).isTrue());
    }

    @Test
    void keptRecordsGoToTheLaneOfTheirImportance() throws Exception {
        for (Importance i : List.of(Importance.CRITICAL, Importance.HIGH, Importance.NORMAL, Importance.LOW)) {
            setPolicy("app-" + i.label(), Map.of("importance", i.label(), "sample_rate", 1.0));
        }
        for (Importance i : List.of(Importance.LOW, Importance.NORMAL, Importance.HIGH, Importance.CRITICAL)) {
            send(log("app-" + i.label(), "id-" + i.label(), "INFO"));
        }

        assertThat(readKept(output(topics.kept() + ".critical"))).extracting(Envelope::id).containsExactly("id-critical");
        assertThat(readKept(output(topics.kept() + ".high"))).extracting(Envelope::id).containsExactly("id-high");
        assertThat(readKept(output(topics.kept()))).extracting(Envelope::id).containsExactly("id-normal");
        assertThat(readKept(output(topics.kept() + ".low"))).extracting(Envelope::id).containsExactly("id-low");
    }

    private TestOutputTopic<byte[], byte[]> lane(Importance importance) {
        return output(topics.lane(importance));
    }

    private TestOutputTopic<byte[], byte[]> output(String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Test
    void policyChangeMidStreamAppliesToTheNextRecord_andTombstoneRestoresTheDefault() throws Exception {
        send(log("api", "a1", "INFO"));
        setPolicy("api", Map.of("importance", "drop"));
        send(log("api", "a2", "ERROR"));
        policies.pipeInput("api", (byte[]) null);
        send(log("api", "a3", "INFO"));
        assertThat(readKept(kept)).extracting(Envelope::id).containsExactly("a1", "a3");
        assertThat(statsTotals()).containsExactlyInAnyOrderEntriesOf(Map.of("api/kept", 2L, "api/policy_drop", 1L));
    }

    @Test
    void invalidPolicyRecordIsCountedAndIgnored_thePreviousPolicyStays() throws Exception {
        setPolicy("api", Map.of("importance", "drop"));
        policies.pipeInput("api", "{\"importance\":\"dorp\"}".getBytes(StandardCharsets.UTF_8));
        policies.pipeInput("api", "garbage".getBytes(StandardCharsets.UTF_8));
        policies.pipeInput("Not A Label", policyCodec.encode(Policy.of(Map.of())));
        send(log("api", "a1", "INFO"));
        assertThat(kept.isEmpty()).isTrue();
        assertThat(invalidPolicies.get()).isEqualTo(3);
        assertThat(statsTotals()).containsEntry("api/policy_drop", 1L);
    }

    @Test
    void statsAreDeltasPerMinute_emittedOnlyOnTheInterval() {
        send(log("m", "x1", "INFO"));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(stats.isEmpty()).isTrue();
        Map<String, Long> first = statsTotals();
        send(log("m", "x2", "INFO"));
        Map<String, Long> second = statsTotals();
        assertThat(first).isEqualTo(Map.of("m/kept", 1L));
        assertThat(second).isEqualTo(Map.of("m/kept", 1L));
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(stats.isEmpty()).isTrue();
    }

    @Test
    void statsLineCarriesKindLevelAndTheRecordsMinute() throws Exception {
        records.pipeInput(new TestRecord<>("m".getBytes(StandardCharsets.UTF_8),
                codec.encode(Envelope.log("y", "m", T0.toEpochMilli() + 61_000).level("warning").build()), T0));
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        StatsRecord s = StatsRecord.decode(stats.readValue());
        assertThat(s).isEqualTo(new StatsRecord("m", "log", "WARN", "kept", T0.toEpochMilli() + 60_000, 1));
    }
}
