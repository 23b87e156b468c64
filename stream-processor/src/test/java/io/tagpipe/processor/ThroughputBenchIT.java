package io.tagpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.policy.PolicyClient;
import io.tagpipe.admin.topics.TopicAdmin;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.policy.Policy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;

/**
 * Measurement, not a test of speed: processes N records (default 1M, ~350 B) with a passthrough
 * Streams app (filter + mapValues on bytes, EOS) and with the tagpipe topology on the same broker,
 * and prints records/s of each. Run: {@code mvn verify -pl stream-processor -am -Dtagpipe.bench=true
 * -Dit.test=ThroughputBenchIT}.
 */
@EnabledIfSystemProperty(named = "tagpipe.bench", matches = "true")
@ExtendWith(RealServices.class)
class ThroughputBenchIT {
    private static final int N = Integer.getInteger("tagpipe.bench.records", 1_000_000);
    private static final String[] APPS = {"web", "pay", "api", "batch", "search", "auth", "mail", "cron"};

    @Test
    void passthroughVersusTagpipeTopology(KafkaBroker kafka) throws Exception {
        ProcessorTopics topics = ProcessorTopics.prefixed(RealServices.unique("bench") + ".");
        ClientConfig client = new ClientConfig(kafka.bootstrapServers(), new Properties());
        new TopicAdmin(client, Duration.ofSeconds(60)).createAll(topics, 4, (short) 1);
        kafka.createTopic(topics.records() + ".passthrough-out", 4);
        long t0 = System.nanoTime();
        produce(kafka, topics.records());
        double produceRate = N / ((System.nanoTime() - t0) / 1e9);

        StreamsBuilder b = new StreamsBuilder();
        b.stream(topics.records(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .filter((k, v) -> v != null && v.length > 0)
                .mapValues(v -> v)
                .to(topics.records() + ".passthrough-out", Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        double passthrough = run(kafka, b.build(), RealServices.unique("pass"), topics.records());

        new PolicyClient(client, topics.policies(), Duration.ofSeconds(30))
                .putAll(Map.of("*", Policy.of(Map.of("sample_rate", 0.5)), "web", Policy.of(Map.of("importance", "low"))));
        var topology = new TagpipeTopology(topics, Duration.ofSeconds(5), new java.util.concurrent.atomic.AtomicLong()).build();
        double tagpipe = run(kafka, topology, RealServices.unique("tagpipe"), topics.records());

        System.out.printf("BENCH %d records: produce %.0f rec/s, passthrough (EOS) %.0f rec/s, tagpipe topology (EOS) %.0f rec/s%n",
                N, produceRate, passthrough, tagpipe);
        assertThat(passthrough).isPositive();
        assertThat(tagpipe).isPositive();
    }

    private static void produce(KafkaBroker kafka, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        EnvelopeCodec codec = new EnvelopeCodec();
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < N; i++) {
                String app = APPS[i % APPS.length];
                Envelope e = Envelope.log(String.format("01J%023d", i), app, 1_700_000_000_000L + i / 10)
                        .level(i % 7 == 0 ? "DEBUG" : "INFO").host("host-" + (i % 16)).logger("com.acme." + app + ".Handler")
                        .thread("worker-" + (i % 8)).traceId(i % 3 == 0 ? "4bf92f3577b34da6a3ce929d0e0e" + (i / 20) : null)
                        .message("handled request " + i + " in " + (i % 250) + " ms for customer c-" + (i % 9973))
                        .attrs(Map.of("region", "eu-west-1", "request_id", "req-" + i)).build();
                producer.send(new ProducerRecord<>(topic, app.getBytes(), codec.encode(e)));
            }
        }
    }

    /** Records/s from RUNNING until the group's committed offsets reach the end of the input. */
    private static double run(KafkaBroker kafka, Topology topology, String appId, String input) throws Exception {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("bench-state").toString());
        try (KafkaStreams streams = new KafkaStreams(topology, p); Admin admin = kafka.admin()) {
            streams.start();
            await().atMost(Duration.ofSeconds(120)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
            long start = System.nanoTime();
            await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(200)).until(() -> committed(admin, appId, input) >= N);
            return N / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static long committed(Admin admin, String group, String topic) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                .entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

}
