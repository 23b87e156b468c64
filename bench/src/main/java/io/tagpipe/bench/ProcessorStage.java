package io.tagpipe.bench;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.policy.PolicyClient;
import io.tagpipe.admin.topics.TopicAdmin;
import io.tagpipe.processor.TagpipeTopology;
import io.tagpipe.wire.ProcessorTopics;
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
 * bytes), both exactly_once_v2, reading the same pre-produced topic of mixed traffic. Rate =
 * records / time from RUNNING until the group's committed offsets reach the end of the input.
 */
public final class ProcessorStage {
    private ProcessorStage() {
    }

    public static void run(String bootstrap, int records, int runs, Report report) throws Exception {
        ProcessorTopics topics = ProcessorTopics.prefixed("bench" + System.nanoTime() % 100_000 + ".");
        ClientConfig client = new ClientConfig(bootstrap, new Properties());
        new TopicAdmin(client, Duration.ofSeconds(60)).createAll(topics, 4, (short) 1);
        BrokerProcess.createTopic(bootstrap, topics.records() + ".passthrough-out", 4, Map.of());
        double produced = Traffic.produce(bootstrap, topics.records(), records, false);
        report.add("processor", "input producer (KafkaProducer, lz4, acks=all)", "records/s", produced, "rec/s", 1, "", "");
        new PolicyClient(client, topics.policies(), Duration.ofSeconds(30)).putAll(policies());

        List<Double> pass = new ArrayList<>();
        List<Double> tagpipe = new ArrayList<>();
        for (int r = 0; r < runs; r++) { // alternate, so drift on a noisy machine hits both alike
            pass.add(rate(bootstrap, passthrough(topics.records()), "pass-" + r + "-" + System.nanoTime(), topics.records(), records));
            Topology t = new TagpipeTopology(topics, Duration.ofSeconds(5), new AtomicLong()).build();
            tagpipe.add(rate(bootstrap, t, "tagpipe-" + r + "-" + System.nanoTime(), topics.records(), records));
            System.out.printf("    run %d: passthrough %.0f rec/s, tagpipe %.0f rec/s%n", r, pass.get(r), tagpipe.get(r));
        }
        double p = Report.median(pass);
        double t = Report.median(tagpipe);
        report.add("processor", "passthrough Streams app (EOS v2)", "records/s", p, "rec/s", runs, "", "runs " + pass);
        report.add("processor", "tagpipe topology (EOS v2, policies with sampling)", "records/s", t, "rec/s", runs, "", "runs " + tagpipe);
        report.add("processor", "tagpipe / passthrough", "ratio", t / p * 100, "%", runs, ">= 80 %", "");
    }

    /** Mixed policies: a sampled default, a high, a low with min level and rate cap, a dropped app. */
    static Map<String, Policy> policies() throws Exception {
        return Map.of(
                "*", Policy.of(Map.of("sample_rate", 0.5, "always_keep_levels", List.of("ERROR", "WARN"))),
                "billing-api", Policy.of(Map.of("importance", "high")),
                "search-indexer", Policy.of(Map.of("importance", "low", "min_level", "INFO", "sample_rate", 0.1)),
                "recommendations", Policy.of(Map.of("importance", "drop")),
                "checkout-web", Policy.of(Map.of("sample_rate", 0.25, "max_records_per_sec", 50_000)));
    }

    static Topology passthrough(String input) {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .filter((k, v) -> v != null && v.length > 0)
                .mapValues(v -> v)
                .to(input + ".passthrough-out", Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return b.build();
    }

    static double rate(String bootstrap, Topology topology, String appId, String input, int records) throws Exception {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("bench-state").toString());
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaStreams streams = new KafkaStreams(topology, p); Admin admin = Admin.create(ap)) {
            streams.start();
            Waits.until(Duration.ofSeconds(120), () -> streams.state() == KafkaStreams.State.RUNNING);
            long start = System.nanoTime();
            Waits.until(Duration.ofMinutes(20), () -> committed(admin, appId, input) >= records);
            return records / ((System.nanoTime() - start) / 1e9);
        }
    }

    static long committed(Admin admin, String group, String topic) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                .entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }
}
