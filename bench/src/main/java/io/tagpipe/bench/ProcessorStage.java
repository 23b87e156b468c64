package io.tagpipe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import io.tagpipe.processor.TagpipeTopology;
import io.tagpipe.testkit.TempDirs;
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
 * Stage 2: the tagpipe topology vs a passthrough Streams app (parse-free filter + mapValues on
 * bytes), both exactly_once_v2 in this JVM, reading the same pre-produced topic of mixed traffic —
 * once with keep-all policies (same records in, same records out: like for like) and once with the
 * demo's policy mix. Per run: records / time from RUNNING until the group's committed offsets reach
 * the end of the input, and over that window the CPU time of the application's own threads (every
 * thread named after its application id: stream, producer, admin, global threads), this JVM's and the broker's.
 */
public final class ProcessorStage {
    /** Target: tagpipe's CPU per record at most this multiple of the passthrough's. */
    static final double TARGET_RATIO = 1.3;
    private static final String STREAMS = "streams threads";
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
            return this == KEEP_ALL ? Map.of("*", Policy.of(Importance.NORMAL)) : demoPolicies();
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
     * both are compared with their hot paths compiled (without it the first measured side ran in a cold
     * JVM and its CPU per record rose by half: 5.6–5.8 against 3.2–3.7 µs for a warm passthrough).
     */
    private static void warmUp(String bootstrap, long brokerPid, int records) throws Exception {
        ProcessorTopics topics = topics(bootstrap, "benchwarm", Mix.KEEP_ALL);
        Traffic.produce(bootstrap, topics.records(), records, false);
        Measured pass = measurePassthrough(bootstrap, brokerPid, topics, "warm", records);
        Measured tagpipe = measureTagpipe(bootstrap, brokerPid, topics, "warm", records);
        System.out.printf(Locale.ROOT, "    warm-up, not measured (%,d records): passthrough %.0f rec/s, tagpipe %.0f rec/s%n",
                records, pass.rate(), tagpipe.rate());
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

    private static Measured measurePassthrough(String bootstrap, long brokerPid, ProcessorTopics topics, String run,
                                               int records) throws Exception {
        return measure(bootstrap, brokerPid, passthrough(topics.records()), "pass-" + run + "-" + System.nanoTime(),
                topics.records(), records);
    }

    private static Measured measureTagpipe(String bootstrap, long brokerPid, ProcessorTopics topics, String run,
                                           int records) throws Exception {
        Topology t = new TagpipeTopology(topics, Duration.ofSeconds(5), new AtomicLong()).build();
        return measure(bootstrap, brokerPid, t, "tagpipe-" + run + "-" + System.nanoTime(), topics.records(), records);
    }

    private static void compare(String bootstrap, long brokerPid, Mix mix, int records, int runs, Report report)
            throws Exception {
        ProcessorTopics topics = topics(bootstrap, "bench", mix);
        double produced = Traffic.produce(bootstrap, topics.records(), records, false);
        report.add("processor", "input producer (KafkaProducer, lz4, acks=all)", "records/s", produced, "rec/s", 1, "", mix.title);

        List<Measured> pass = new ArrayList<>();
        List<Measured> tagpipe = new ArrayList<>();
        for (int r = 0; r < runs; r++) { // alternate the order, so drift and JIT warmth on a noisy machine hit both alike
            boolean passFirst = r % 2 == 0;
            for (int side = 0; side < 2; side++) {
                if ((side == 0) == passFirst) {
                    pass.add(measurePassthrough(bootstrap, brokerPid, topics, String.valueOf(r), records));
                } else {
                    tagpipe.add(measureTagpipe(bootstrap, brokerPid, topics, String.valueOf(r), records));
                }
            }
            System.out.printf(Locale.ROOT, "    %s run %d (%s first): passthrough %.0f rec/s %.2f µs/rec, tagpipe %.0f rec/s %.2f µs/rec%n",
                    mix.title, r, passFirst ? "passthrough" : "tagpipe", pass.get(r).rate(), pass.get(r).micros(STREAMS),
                    tagpipe.get(r).rate(), tagpipe.get(r).micros(STREAMS));
        }
        report(mix, pass, tagpipe, report);
    }

    private static void report(Mix mix, List<Measured> pass, List<Measured> tagpipe, Report report) {
        int runs = pass.size();
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < runs; r++) { // paired: each run's two sides saw the same machine
            ratios.add(tagpipe.get(r).micros(STREAMS) / pass.get(r).micros(STREAMS));
        }
        String cpuNote = "CPU of the application's threads over the window / input records";
        for (String clock : List.of(STREAMS, JVM, BROKER)) {
            report.add("processor", "passthrough (" + mix.title + "), " + clock, "CPU per record", median(pass, clock), "µs", runs, "",
                    clock.equals(STREAMS) ? cpuNote : clock.equals(JVM) ? "whole bench JVM, GC and JIT included" : "broker JVM");
            report.add("processor", "tagpipe (" + mix.title + "), " + clock, "CPU per record", median(tagpipe, clock), "µs", runs, "", "");
        }
        double p = Report.median(pass.stream().map(Measured::rate).toList());
        double t = Report.median(tagpipe.stream().map(Measured::rate).toList());
        report.add("processor", "passthrough Streams app (EOS v2), " + mix.title, "records/s", p, "rec/s", runs, "", "runs " + rates(pass));
        report.add("processor", "tagpipe topology (EOS v2), " + mix.title, "records/s", t, "rec/s", runs, "", "runs " + rates(tagpipe));
        double ratio = Report.median(ratios);
        report.add("processor", "tagpipe / passthrough CPU per record, " + mix.title, "ratio", ratio, "x", runs,
                "<= " + TARGET_RATIO + " x", "median of the runs' ratios " + ratios.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList());
        double passMicros = median(pass, STREAMS);
        report.headline(new Report.Headline("processor, " + mix.title, median(tagpipe, STREAMS), t, "rec/s",
                String.format(Locale.ROOT, "passthrough Streams app: %s, %s", Report.number(passMicros, "µs"), Report.number(p, "rec/s")),
                "CPU ≤ " + TARGET_RATIO + "× passthrough", String.format(Locale.ROOT, "%.2f×", ratio), ratio <= TARGET_RATIO));
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

    static Topology passthrough(String input) {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .filter((k, v) -> v != null && v.length > 0)
                .mapValues(v -> v)
                .to(input + ".passthrough-out", Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return b.build();
    }

    static Measured measure(String bootstrap, long brokerPid, Topology topology, String appId, String input, int records)
            throws Exception {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        Path state = Files.createTempDirectory("bench-state");
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        CpuMeter meter = new CpuMeter().threads(STREAMS, name -> name.contains(appId)).thisJvm(JVM).process(BROKER, brokerPid);
        try (KafkaStreams streams = new KafkaStreams(topology, p); Admin admin = Admin.create(ap)) {
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
