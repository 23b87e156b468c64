package io.tagpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.policy.PolicyClient;
import io.tagpipe.admin.topics.TopicAdmin;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.policy.Importance;
import io.tagpipe.wire.policy.Policy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.StatsRecord;

/**
 * Two processor instances (one in this JVM, one in a child JVM that gets SIGKILLed) on a real
 * broker: shared load, live policy change, exactly the predicted survivors, exact stats.
 */
@ExtendWith(RealServices.class)
class ProcessorIT {
    private static final String[] APPS = {"web", "pay", "api", "batch", "search", "auth", "mail", "cron"};
    private static final String[] LEVELS = {"DEBUG", "INFO", "INFO", "INFO", "WARN", "ERROR"};
    private final EnvelopeCodec codec = new EnvelopeCodec();

    static ProcessorSettings settings(String bootstrap, String appId, String prefix, Path stateDir) {
        Properties streams = new Properties();
        streams.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        streams.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000");
        streams.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "1000");
        return new ProcessorSettings(new ClientConfig(bootstrap, new Properties()), appId,
                ProcessorTopics.prefixed(prefix), Duration.ofSeconds(1), streams);
    }

    @Test
    void twoInstancesShareTheWork_applyPolicyChangesLive_andSurviveAKillWithExactOutput(KafkaBroker kafka) throws Exception {
        String prefix = RealServices.unique("p") + ".";
        String appId = RealServices.unique("proc");
        ProcessorTopics topics = ProcessorTopics.prefixed(prefix);
        ClientConfig client = new ClientConfig(kafka.bootstrapServers(), new Properties());
        TopicAdmin admin = new TopicAdmin(client, Duration.ofSeconds(60));
        assertThat(admin.createAll(topics, 4, (short) 1)).allMatch(TopicAdmin.Result::created);
        assertThat(admin.createAll(topics, 4, (short) 1)).noneMatch(TopicAdmin.Result::created);

        PolicyClient policies = new PolicyClient(client, topics.policies(), Duration.ofSeconds(30));
        Map<String, Policy> current = new HashMap<>(Map.of(
                "*", Policy.of(Map.of("sample_rate", 0.5)),
                "web", Policy.of(Map.of("importance", "low")),
                "pay", Policy.of(Map.of("importance", "critical"))));
        policies.putAll(current);

        Process child = startChild(kafka.bootstrapServers(), appId, prefix);
        Queue<String> childOut = drain(child);
        try (ProcessorApp local = new ProcessorApp(settings(kafka.bootstrapServers(), appId, prefix,
                Files.createTempDirectory("tagpipe-state-a")));
             var producer = producer(kafka);
             var keptReader = reader(kafka, topics.lanes());
             var statsReader = reader(kafka, List.of(topics.stats()))) {
            local.start();
            await().atMost(Duration.ofSeconds(120)).until(() -> childOut.contains("RUNNING"));
            await().atMost(Duration.ofSeconds(120)).until(() -> local.assignedPartitions() > 0 && local.assignedPartitions() < 4);
            assertThat(local.policies()).containsOnlyKeys("*", "web", "pay");

            Map<String, Long> sent = new HashMap<>();
            List<String> predicted = new ArrayList<>();
            send(producer, topics, 0, 6_000, current, sent, predicted);
            List<String> kept = new ArrayList<>();
            await().atMost(Duration.ofSeconds(120)).until(() -> poll(keptReader, kept) >= predicted.size());

            // live change through the CLI's code path, seen by both instances without restart
            policies.put("api", Policy.of(Map.of("importance", "drop")));
            current.put("api", Policy.of(Map.of("importance", "drop")));
            await().atMost(Duration.ofSeconds(30)).until(() -> local.policies().get("api") != null
                    && local.policies().get("api").importance() == Importance.DROP);
            await().atMost(Duration.ofSeconds(30)).until(() -> childOut.stream()
                    .anyMatch(l -> l.startsWith("POLICIES") && l.contains("api={importance=drop}")));

            // second batch in the background; kill the child (SIGKILL) once it is being processed
            int before = predicted.size();
            var batch2 = CompletableFuture.runAsync(() -> send(producer, topics, 6_000, 60_000, current, sent, predicted));
            await().atMost(Duration.ofSeconds(120)).until(() -> poll(keptReader, kept) > before + 500);
            child.destroyForcibly().waitFor();
            batch2.get();

            await().atMost(Duration.ofSeconds(180)).until(() -> poll(keptReader, kept) >= predicted.size()
                    && local.assignedPartitions() == 4);
            poll(keptReader, kept); // anything extra would be a duplicate
            assertThat(kept).hasSameSizeAs(predicted).containsExactlyInAnyOrderElementsOf(predicted);

            Map<String, Long> counted = new HashMap<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                pollStats(statsReader, counted);
                return counted.equals(sent);
            });
            assertThat(counted).isEqualTo(sent);
        } finally {
            child.destroyForcibly();
        }
    }

    /** Sends records [from, to) round-robin over the apps and records which ids must survive. */
    private void send(KafkaProducer<String, byte[]> producer, ProcessorTopics topics, int from, int to,
                      Map<String, Policy> policies, Map<String, Long> sent, List<String> predicted) {
        for (int i = from; i < to; i++) {
            String app = APPS[i % APPS.length];
            Envelope e = Envelope.log("id-" + i, app, 1_700_000_000_000L + i).level(LEVELS[i % LEVELS.length])
                    .traceId(i % 3 == 0 ? "trace-" + (i / 30) : null).message("msg " + i).build();
            producer.send(new ProducerRecord<>(topics.records(), app, codec.encode(e)));
            Policy p = policies.getOrDefault(app, policies.get("*"));
            synchronized (predicted) {
                sent.merge(app, 1L, Long::sum);
                if (Decider.decide(p, e).keep()) {
                    predicted.add(e.id());
                }
            }
        }
        producer.flush();
    }

    private int poll(KafkaConsumer<byte[], byte[]> reader, List<String> kept) throws Exception {
        for (var r : reader.poll(Duration.ofMillis(200))) {
            kept.add(codec.decode(r.value()).id());
        }
        return kept.size();
    }

    private static void pollStats(KafkaConsumer<byte[], byte[]> reader, Map<String, Long> counted) throws Exception {
        for (var r : reader.poll(Duration.ofMillis(200))) {
            StatsRecord s = StatsRecord.decode(r.value());
            counted.merge(s.app(), s.count(), Long::sum);
        }
    }

    private static KafkaProducer<String, byte[]> producer(KafkaBroker kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> reader(KafkaBroker kafka, List<String> topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = topics.stream().flatMap(t -> c.partitionsFor(t).stream())
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    private static Process startChild(String bootstrap, String appId, String prefix) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), ChildProcessorMain.class.getName(),
                bootstrap, appId, prefix, Files.createTempDirectory("tagpipe-state-b").toString())
                .redirectErrorStream(true).start();
    }

    private static Queue<String> drain(Process p) {
        Queue<String> lines = new ConcurrentLinkedQueue<>();
        Thread t = new Thread(() -> {
            try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(l -> {
                    lines.add(l);
                    System.out.println("[child] " + l);
                });
            } catch (Exception e) {
                // the child was killed
            }
        }, "child-output");
        t.setDaemon(true);
        t.start();
        return lines;
    }
}
