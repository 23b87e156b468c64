package io.tagpipe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.policy.PolicyClient;
import io.tagpipe.admin.topics.TopicAdmin;
import io.tagpipe.bench.cpu.CpuMeter;
import io.tagpipe.bench.cpu.CpuUse;
import io.tagpipe.processor.ProcessorSettings;
import io.tagpipe.processor.TagpipeTopology;
import io.tagpipe.testkit.TempDirs;
import io.tagpipe.wire.PolicySplice;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.policy.Importance;
import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Stage 2: the tagpipe topology vs a passthrough Streams app, both in this JVM with the processor's
 * shipped Kafka Streams settings ({@link ProcessorSettings#streamsProperties}: exactly_once_v2, 256 KiB
 * lz4 producer batches), reading the same pre-produced topic of mixed traffic — once with keep-all
 * policies and once with the demo's policy mix. The passthrough does not parse: it writes every
 * record out as the processor keeps it under keep-all policies (the policy fields spliced in before
 * the closing brace by the processor's own {@link PolicySplice}), so with keep-all both write the same
 * records, byte for byte ({@code ProcessorStageTest}): same I/O, and the difference is the
 * processor's reading, deciding and counting. With keep-all a third side, a passthrough writing its
 * input unchanged, shows what the 60 bytes of policy fields per record cost on their own. Per run:
 * records / time from RUNNING until the group's committed offsets reach the end of the input, and
 * over that window the CPU time of the application's own threads (every thread named after its
 * application id: stream, producer, admin, global threads; the stream and the producer I/O thread
 * also on their own), this JVM's and the broker's.
 */
public final class ProcessorStage {
    /** Target: tagpipe's CPU per record at most this multiple of the passthrough's. */
    static final double TARGET_RATIO = 1.3;
    private static final String STREAMS = "streams threads";
    private static final String STREAM_THREAD = "stream thread";
    private static final String PRODUCER_THREAD = "producer I/O thread";
    private static final String JVM = "bench JVM";
    private static final String BROKER = "broker";

    /** The policies a comparison runs under. */
    enum Mix {
        KEEP_ALL("keep-all policies"), DEMO("the demo's policy mix");

        final String title;

        Mix(String title) {
            this.title = title;
        }

        Map<String, Policy> policies() throws InvalidPolicyException {
            return this == KEEP_ALL ? Map.of("*", KEEP_ALL_POLICY) : demoPolicies();
        }

        /** The sides measured: the passthrough writing its input unchanged only beside keep-all. */
        List<Side> sides() {
            return this == KEEP_ALL ? List.of(Side.PASSTHROUGH, Side.TAGPIPE, Side.PASSTHROUGH_INPUT)
                    : List.of(Side.PASSTHROUGH, Side.TAGPIPE);
        }
    }

    /** The policy of every app in the keep-all comparison: keeps every record. */
    static final Policy KEEP_ALL_POLICY = Policy.of(Importance.NORMAL);

    /** One application the stage measures. */
    enum Side {
        PASSTHROUGH("passthrough", "passthrough Streams app (tagpipe's keep-all records out)"),
        TAGPIPE("tagpipe", "tagpipe topology"),
        PASSTHROUGH_INPUT("pass-input", "passthrough Streams app (its input out unchanged)");

        final String id;
        final String title;

        Side(String id, String title) {
            this.id = id;
            this.title = title;
        }

        Topology topology(ProcessorTopics topics) {
            return switch (this) {
                case PASSTHROUGH -> passthrough(topics.records(), true);
                case PASSTHROUGH_INPUT -> passthrough(topics.records(), false);
                case TAGPIPE -> new TagpipeTopology(topics, Duration.ofSeconds(5), new AtomicLong()).build();
            };
        }
    }

    /** One measured run of one application: its rate and the CPU clocks over its window. */
    record Measured(double rate, CpuUse cpu, long records) {
        double micros(String clock) {
            return cpu.microsPerRecord(clock, records);
        }
    }

    private ProcessorStage() {
    }

    public static void run(String bootstrap, long brokerPid, int records, int runs, Report report) throws Exception {
        warmUp(bootstrap, brokerPid, Math.max(1, records / 4));
        for (Mix mix : Mix.values()) {
            compare(bootstrap, brokerPid, mix, records, runs, report);
        }
    }

    /**
     * One unmeasured run of each side on a quarter of the records first: a processor runs for days, so
     * every side is compared with its hot path compiled (without it the first measured side ran in a cold
     * JVM and its CPU per record rose by half: 5.6–5.8 against 3.2–3.7 µs for a warm passthrough, with
     * Kafka's default producer settings, before the stage used the processor's).
     */
    private static void warmUp(String bootstrap, long brokerPid, int records) throws Exception {
        ProcessorTopics topics = topics(bootstrap, "benchwarm", Mix.KEEP_ALL);
        Traffic.produce(bootstrap, topics.records(), records, false);
        List<String> rates = new ArrayList<>();
        for (Side side : Mix.KEEP_ALL.sides()) {
            rates.add(String.format(Locale.ROOT, "%s %.0f rec/s", side.id,
                    measure(bootstrap, brokerPid, side, topics, "warm", records).rate()));
        }
        System.out.printf(Locale.ROOT, "    warm-up, not measured (%,d records): %s%n", records, String.join(", ", rates));
    }

    /** Fresh topics with {@code mix}'s policies (the records topic still empty) and the passthrough's output topic. */
    private static ProcessorTopics topics(String bootstrap, String prefix, Mix mix) throws Exception {
        ProcessorTopics topics = ProcessorTopics.prefixed(prefix + System.nanoTime() % 100_000 + ".");
        ClientConfig client = new ClientConfig(bootstrap, new Properties());
        new TopicAdmin(client, Duration.ofSeconds(60)).createAll(topics, 4, (short) 1);
        BrokerProcess.createTopic(bootstrap, topics.records() + ".passthrough-out", 4, Map.of());
        new PolicyClient(client, topics.policies(), Duration.ofSeconds(30)).putAll(mix.policies());
        return topics;
    }

    private static void compare(String bootstrap, long brokerPid, Mix mix, int records, int runs, Report report)
            throws Exception {
        ProcessorTopics topics = topics(bootstrap, "bench", mix);
        double produced = Traffic.produce(bootstrap, topics.records(), records, false);
        report.add("processor", "input producer (KafkaProducer, lz4, acks=all)", "records/s", produced, "rec/s", 1, "", mix.title);

        List<Side> sides = mix.sides();
        Map<Side, List<Measured>> measured = new EnumMap<>(Side.class);
        sides.forEach(s -> measured.put(s, new ArrayList<>()));
        for (int r = 0; r < runs; r++) { // rotate the order, so drift and JIT warmth on a noisy machine hit every side alike
            List<String> line = new ArrayList<>();
            for (int k = 0; k < sides.size(); k++) {
                Side side = sides.get((k + r) % sides.size());
                Measured m = measure(bootstrap, brokerPid, side, topics, String.valueOf(r), records);
                measured.get(side).add(m);
                line.add(String.format(Locale.ROOT, "%s %.0f rec/s %.2f µs/rec", side.id, m.rate(), m.micros(STREAMS)));
            }
            System.out.printf(Locale.ROOT, "    %s run %d: %s%n", mix.title, r, String.join(", ", line));
        }
        report(mix, measured, report);
    }

    private static void report(Mix mix, Map<Side, List<Measured>> measured, Report report) {
        List<Measured> pass = measured.get(Side.PASSTHROUGH);
        List<Measured> tagpipe = measured.get(Side.TAGPIPE);
        int runs = pass.size();
        String cpuNote = "CPU of the application's threads over the window / input records";
        for (String clock : List.of(STREAMS, STREAM_THREAD, PRODUCER_THREAD, JVM, BROKER)) {
            String note = clock.equals(STREAMS) ? cpuNote : clock.equals(JVM) ? "whole bench JVM, GC and JIT included"
                    : clock.equals(BROKER) ? "broker JVM" : "";
            for (Side side : mix.sides()) {
                report.add("processor", side.title + ", " + mix.title + ", " + clock, "CPU per record",
                        median(measured.get(side), clock), "µs", runs, "", side == Side.PASSTHROUGH ? note : "");
            }
        }
        for (Side side : mix.sides()) {
            report.add("processor", side.title + " (EOS v2), " + mix.title, "records/s",
                    Report.median(measured.get(side).stream().map(Measured::rate).toList()), "rec/s", runs, "",
                    "runs " + rates(measured.get(side)));
        }
        List<Double> ratios = ratios(tagpipe, pass);
        double ratio = Report.median(ratios);
        report.add("processor", "tagpipe / passthrough CPU per record, " + mix.title, "ratio", ratio, "x", runs,
                "<= " + TARGET_RATIO + " x", "median of the runs' ratios " + format(ratios));
        if (measured.containsKey(Side.PASSTHROUGH_INPUT)) {
            List<Double> input = ratios(tagpipe, measured.get(Side.PASSTHROUGH_INPUT));
            report.add("processor", "tagpipe / passthrough writing its input unchanged, " + mix.title, "ratio",
                    Report.median(input), "x", runs, "", "not the target's comparison: this passthrough writes each"
                            + " record without the policy fields (60 bytes); runs " + format(input));
        }
        double t = Report.median(tagpipe.stream().map(Measured::rate).toList());
        double p = Report.median(pass.stream().map(Measured::rate).toList());
        report.headline(new Report.Headline("processor, " + mix.title, median(tagpipe, STREAMS), t, "rec/s",
                String.format(Locale.ROOT, "passthrough Streams app, %s: %s, %s", mix == Mix.KEEP_ALL ? "same records out"
                        : "every record out as keep-all keeps it", Report.number(median(pass, STREAMS), "µs"), Report.number(p, "rec/s")),
                "CPU ≤ " + TARGET_RATIO + "× passthrough", String.format(Locale.ROOT, "%.2f×", ratio), ratio <= TARGET_RATIO));
    }

    /** Paired: each run's sides saw the same machine. */
    private static List<Double> ratios(List<Measured> over, List<Measured> under) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < over.size(); i++) {
            r.add(over.get(i).micros(STREAMS) / under.get(i).micros(STREAMS));
        }
        return r;
    }

    private static List<String> format(List<Double> ratios) {
        return ratios.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList();
    }

    private static double median(List<Measured> runs, String clock) {
        return Report.median(runs.stream().map(m -> m.micros(clock)).toList());
    }

    private static List<Long> rates(List<Measured> runs) {
        return runs.stream().map(m -> Math.round(m.rate())).toList();
    }

    /**
     * The demo's starting policies ({@code DemoPolicies.initialYaml} in the dev module, which
     * {@code DemoPoliciesTest} keeps equal to this) applied to the bench's traffic.
     */
    public static Map<String, Policy> demoPolicies() throws InvalidPolicyException {
        return Map.of(
                "*", Policy.of(Map.of("importance", "normal")),
                "billing-api", Policy.of(Map.of("importance", "critical")),
                "billing-worker", Policy.of(Map.of("importance", "high")),
                "search-indexer", Policy.of(Map.of("importance", "low", "sample_rate", 1.0, "min_level", "INFO",
                        "max_records_per_sec", 50)),
                "nightly-report", Policy.of(Map.of("importance", "normal", "retention_days", 14)));
    }

    /**
     * A Streams app that reads nothing of its records: with {@code enrich}, it writes each as the
     * processor keeps it under {@link #KEEP_ALL_POLICY} (the policy fields before the last closing
     * brace, which is where the processor splices them for the records the bench produces); else unchanged.
     */
    static Topology passthrough(String input, boolean enrich) {
        PolicySplice splice = new PolicySplice();
        double rate = KEEP_ALL_POLICY.sampleRate();
        int retention = KEEP_ALL_POLICY.retentionDays();
        String importance = KEEP_ALL_POLICY.importance().label();
        StreamsBuilder b = new StreamsBuilder();
        b.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .filter((k, v) -> v != null && v.length > 0)
                .mapValues(v -> enrich ? splice.append(v, lastBrace(v), rate, retention, importance) : v)
                .to(input + ".passthrough-out", Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return b.build();
    }

    private static int lastBrace(byte[] v) {
        int i = v.length - 1;
        while (i > 0 && v[i] != '}') {
            i--;
        }
        return i;
    }

    static Measured measure(String bootstrap, long brokerPid, Side side, ProcessorTopics topics, String run, int records)
            throws Exception {
        String appId = side.id + "-" + run + "-" + System.nanoTime();
        System.gc(); // every side starts on a collected heap, not amid the garbage of what ran before it
        Properties p = ProcessorSettings.of(new ClientConfig(bootstrap, new Properties()), appId, null).streamsProperties();
        Path state = Files.createTempDirectory("bench-state");
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        CpuMeter meter = new CpuMeter().threads(STREAMS, name -> name.contains(appId))
                .threads(STREAM_THREAD, name -> name.startsWith(appId) && name.contains("-StreamThread-"))
                .threads(PRODUCER_THREAD, name -> name.contains(appId) && name.startsWith("kafka-producer-network-thread"))
                .thisJvm(JVM).process(BROKER, brokerPid);
        String input = topics.records();
        try (KafkaStreams streams = new KafkaStreams(side.topology(topics), p); Admin admin = Admin.create(ap)) {
            streams.start();
            Waits.until(Duration.ofSeconds(120), () -> streams.state() == KafkaStreams.State.RUNNING);
            CpuMeter.Window window = meter.start();
            Waits.until(Duration.ofMinutes(20), () -> committed(admin, appId, input) >= records);
            CpuUse cpu = window.stop();
            return new Measured(cpu.perSecond(records), cpu, records);
        } finally {
            TempDirs.deleteTree(state);
        }
    }

    static long committed(Admin admin, String group, String topic) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                .entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }
}
