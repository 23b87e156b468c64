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
import java.util.stream.IntStream;

import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;
import io.tagpipe.wire.policy.PolicyCodec;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
import io.tagpipe.wire.Pressure;
import io.tagpipe.wire.ShedEntry;
import io.tagpipe.wire.StatsRecord;
import io.tagpipe.wire.UnreadableRecordException;

/** The pressure topic read into every instance and applied by the topology, without a restart. */
class TagpipeTopologyShedTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration STALE_AFTER = Duration.ofSeconds(60);
    private static final int N = 400;
    private final ProcessorTopics topics = ProcessorTopics.defaults();
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final AtomicLong invalidPressure = new AtomicLong();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> records;
    private TestInputTopic<String, byte[]> policies;
    private TestInputTopic<String, byte[]> pressure;
    private List<TestOutputTopic<byte[], byte[]>> lanes;
    private TestOutputTopic<byte[], byte[]> stats;
    private TestOutputTopic<String, byte[]> shed;
    private long advancedMs;

    @BeforeEach
    void start() throws InvalidPolicyException {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "shed-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(new TagpipeTopology(topics, Duration.ofSeconds(5), new AtomicLong(),
                invalidPressure, STALE_AFTER).build(), p, T0);
        records = driver.createInputTopic(topics.records(), new ByteArraySerializer(), new ByteArraySerializer());
        policies = driver.createInputTopic(topics.policies(), new StringSerializer(), new ByteArraySerializer());
        pressure = driver.createInputTopic(topics.pressure(), new StringSerializer(), new ByteArraySerializer());
        lanes = topics.lanes().stream()
                .map(t -> driver.createOutputTopic(t, new ByteArrayDeserializer(), new ByteArrayDeserializer())).toList();
        stats = driver.createOutputTopic(topics.stats(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        shed = driver.createOutputTopic(topics.shed(), new StringDeserializer(), new ByteArrayDeserializer());
        PolicyCodec pc = new PolicyCodec();
        policies.pipeInput("lo", pc.encode(Policy.of(Map.of("importance", "low", "sample_rate", 1.0))));
        policies.pipeInput("mid", pc.encode(Policy.of(Map.of("importance", "normal", "sample_rate", 0.8))));
        policies.pipeInput("crit", pc.encode(Policy.of(Map.of("importance", "critical"))));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** The driver's wall clock, which the processor judges staleness by. */
    private long now() {
        return T0.toEpochMilli() + advancedMs;
    }

    private void advance(Duration d) {
        driver.advanceWallClockTime(d);
        advancedMs += d.toMillis();
    }

    private void setLevel(String sink, int level, long updatedMs) {
        pressure.pipeInput(sink, new Pressure(level, List.of("test"), updatedMs, updatedMs, sink).encode());
    }

    /** One INFO and one ERROR record per app and index, ids unique per round. */
    private void sendRound(String round) {
        for (String app : List.of("lo", "mid", "crit")) {
            for (int i = 0; i < N; i++) {
                for (String level : List.of("INFO", "ERROR")) {
                    Envelope e = Envelope.log(round + app + level + i, app, T0.toEpochMilli()).level(level).build();
                    records.pipeInput(new TestRecord<>(app.getBytes(StandardCharsets.UTF_8), codec.encode(e), T0));
                }
            }
        }
    }

    /** What every lane received (each app has one importance, so one lane). */
    private List<Envelope> readKept() {
        return lanes.stream().flatMap(l -> l.readValuesToList().stream()).map(b -> {
            try {
                return codec.decode(b);
            } catch (UnreadableRecordException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    /** Sum of emitted stats per "app/level/reason". */
    private Map<String, Long> statsTotals() {
        advance(Duration.ofSeconds(6));
        Map<String, Long> totals = new HashMap<>();
        for (byte[] v : stats.readValuesToList()) {
            try {
                StatsRecord s = StatsRecord.decode(v);
                totals.merge(s.app() + "/" + s.level() + "/" + s.reason(), s.count(), Long::sum);
            } catch (UnreadableRecordException e) {
                throw new AssertionError(e);
            }
        }
        return totals;
    }

    private static long count(String round, String app, String level, double rate) {
        return IntStream.range(0, N).filter(i -> Sampling.fraction(round + app + level + i) < rate).count();
    }

    /** Expected totals when nothing is shed. */
    private static Map<String, Long> unshed(String round) {
        long midKept = count(round, "mid", "INFO", 0.8);
        return Map.of("lo/INFO/kept", (long) N, "lo/ERROR/kept", (long) N,
                "mid/INFO/kept", midKept, "mid/INFO/sampled", N - midKept, "mid/ERROR/kept", (long) N,
                "crit/INFO/kept", (long) N, "crit/ERROR/kept", (long) N);
    }

    @Test
    void levelTwoShedsLowToAlwaysKept_normalToAQuarterRate_criticalUntouched() {
        setLevel("sink-a", 2, now());
        sendRound("r");

        List<Envelope> out = readKept();
        long midQuarter = count("r", "mid", "INFO", 0.2);
        long midLevel0 = count("r", "mid", "INFO", 0.8);
        assertThat(out).filteredOn(e -> e.app().equals("lo")).extracting(Envelope::level).containsOnly("ERROR").hasSize(N);
        assertThat(out).filteredOn(e -> e.app().equals("mid") && e.level().equals("INFO"))
                .hasSize((int) midQuarter)
                .allSatisfy(e -> assertThat(e.sampleRate()).isEqualTo(0.2))
                .allSatisfy(e -> assertThat(Sampling.fraction(e.id())).isLessThan(0.2));
        assertThat(out).filteredOn(e -> e.app().equals("crit")).hasSize(2 * N)
                .allSatisfy(e -> assertThat(e.sampleRate()).isEqualTo(1.0));
        assertThat(statsTotals()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "lo/INFO/shed", (long) N, "lo/ERROR/kept", (long) N,
                "mid/INFO/kept", midQuarter, "mid/INFO/shed", midLevel0 - midQuarter,
                "mid/INFO/sampled", N - midLevel0, "mid/ERROR/kept", (long) N,
                "crit/INFO/kept", (long) N, "crit/ERROR/kept", (long) N));
    }

    @Test
    void levelBackToZeroRestoresEverything() {
        setLevel("sink-a", 4, now());
        sendRound("a");
        assertThat(statsTotals()).containsEntry("lo/ERROR/shed", (long) N).containsEntry("crit/INFO/kept", (long) N);
        setLevel("sink-a", 0, now());
        readKept();
        sendRound("b");
        assertThat(statsTotals()).containsExactlyInAnyOrderEntriesOf(unshed("b"));
    }

    @Test
    void aStaleLevelCountsAsZero_bothWhenPublishedStaleAndWhenNoLongerConfirmed() {
        setLevel("sink-a", 3, now() - STALE_AFTER.toMillis() - 1);
        sendRound("a");
        assertThat(statsTotals()).containsExactlyInAnyOrderEntriesOf(unshed("a"));

        setLevel("sink-a", 3, now());
        sendRound("b");
        assertThat(statsTotals()).containsEntry("lo/INFO/shed", (long) N);
        advance(STALE_AFTER);
        sendRound("c");
        assertThat(statsTotals()).containsExactlyInAnyOrderEntriesOf(unshed("c"));
    }

    @Test
    void theHighestFreshLevelOfAllSinksApplies_andATombstoneRemovesASinksLevel() {
        setLevel("sink-a", 1, now());
        setLevel("sink-b", 3, now());
        sendRound("a");
        assertThat(statsTotals()).containsEntry("lo/ERROR/shed", (long) N).containsEntry("mid/ERROR/kept", (long) N);
        pressure.pipeInput("sink-b", (byte[]) null);
        sendRound("b");
        Map<String, Long> level1 = statsTotals();
        assertThat(level1).containsEntry("lo/ERROR/kept", (long) N)
                .containsEntry("lo/INFO/kept", count("b", "lo", "INFO", 0.25));
    }

    @Test
    void garbageOnThePressureTopicIsCountedAndIgnored_thePreviousLevelStays() {
        pressure.pipeInput("sink-a", "not json".getBytes(StandardCharsets.UTF_8));
        pressure.pipeInput("sink-a", "{\"level\":9,\"updated\":1}".getBytes(StandardCharsets.UTF_8));
        pressure.pipeInput((String) null, new Pressure(4, List.of(), now(), now(), "x").encode());
        sendRound("a");
        assertThat(statsTotals()).containsExactlyInAnyOrderEntriesOf(unshed("a"));
        assertThat(invalidPressure.get()).isEqualTo(3);

        setLevel("sink-a", 2, now());
        pressure.pipeInput("sink-a", "{\"level\":".getBytes(StandardCharsets.UTF_8));
        sendRound("b");
        assertThat(statsTotals()).containsEntry("lo/INFO/shed", (long) N);
        assertThat(invalidPressure.get()).isEqualTo(4);
    }

    private List<ShedEntry> readShed() {
        return shed.readKeyValuesToList().stream().map(kv -> {
            try {
                ShedEntry e = ShedEntry.decode(kv.value);
                assertThat(kv.key).as("key = app").isEqualTo(e.app());
                return e;
            } catch (UnreadableRecordException ex) {
                throw new AssertionError(ex);
            }
        }).toList();
    }

    @Test
    void everyShedRecordLeavesOneEntry_pointingAtItsOffset_withHowItWouldHaveBeenKept() {
        setLevel("sink-a", 2, now());
        sendRound("r");

        List<ShedEntry> entries = readShed();
        Map<String, Long> shedCounts = new HashMap<>();
        statsTotals().forEach((k, n) -> {
            if (k.endsWith("/shed")) {
                shedCounts.merge(k.substring(0, k.indexOf('/')), n, Long::sum);
            }
        });
        Map<String, Long> entryCounts = new HashMap<>();
        entries.forEach(e -> entryCounts.merge(e.app(), 1L, Long::sum));
        assertThat(entryCounts).as("one entry per shed count").isEqualTo(shedCounts);

        // sendRound writes lo first: INFO i at offset 2i, ERROR i at 2i + 1
        List<ShedEntry> lo = entries.stream().filter(e -> e.app().equals("lo")).toList();
        assertThat(lo).extracting(ShedEntry::offset)
                .containsExactlyElementsOf(IntStream.range(0, N).mapToObj(i -> 2L * i).toList());
        assertThat(lo).extracting(ShedEntry::id)
                .containsExactlyElementsOf(IntStream.range(0, N).mapToObj(i -> "rloINFO" + i).toList());
        assertThat(lo).allSatisfy(e -> {
            assertThat(e.topic()).isEqualTo(topics.records());
            assertThat(e.partition()).isZero();
            assertThat(e.pressure()).isEqualTo(2);
            assertThat(e.kind()).isEqualTo("log");
            assertThat(e.level()).isEqualTo("INFO");
            assertThat(e.ts()).isEqualTo(T0.toEpochMilli());
            assertThat(e.importance()).isEqualTo("low");
            assertThat(e.retentionDays()).isEqualTo(Policy.of(Map.of("importance", "low")).retentionDays());
            assertThat(e.sampleRate()).isEqualTo(1.0);
        });
        List<ShedEntry> mid = entries.stream().filter(e -> e.app().equals("mid")).toList();
        assertThat(mid).allSatisfy(e -> {
            assertThat(e.sampleRate()).as("the rate without pressure").isEqualTo(0.8);
            assertThat(Sampling.fraction(e.id())).isBetween(0.2, 0.8);
        });
        // the destination is where the app's kept records went
        List<Envelope> loKept = driver.createOutputTopic(lo.get(0).destination(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).readValuesToList().stream().map(b -> {
                    try {
                        return codec.decode(b);
                    } catch (UnreadableRecordException ex) {
                        throw new AssertionError(ex);
                    }
                }).filter(e -> e.app().equals("lo")).toList();
        assertThat(loKept).hasSize(N).extracting(Envelope::level).containsOnly("ERROR");
    }

    @Test
    void nothingIsWrittenToTheShedTopicWithoutPressure() {
        sendRound("a");

        assertThat(shed.isEmpty()).isTrue();
    }
}
