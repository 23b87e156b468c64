package io.tagpipe.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.policy.PolicyClient;
import io.tagpipe.admin.topics.TopicAdmin;
import io.tagpipe.testkit.ChildJvm;
import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;

/**
 * One isolated tagpipe deployment on the shared broker and ClickHouse: its own topics (prefix),
 * database, sink group and processor application id; processors and the sink run as child JVMs.
 */
final class Pipeline implements AutoCloseable {
    /** Partitions of every topic: two processors share the records topic's. */
    static final int PARTITIONS = 4;
    private final KafkaBroker kafka;
    private final ClickHouse clickhouse;
    private final Path dir;
    final ProcessorTopics topics;
    final String prefix = RealServices.unique("f") + ".";
    final String db = RealServices.unique("faults");
    final String sinkGroup = RealServices.unique("sink");
    final String appId = RealServices.unique("proc");
    private final Map<Integer, ChildJvm> processors = new HashMap<>();
    private ChildJvm sink;
    private Duration sinkInsertTimeout;
    private Map<String, String> sinkEnv = Map.of();
    private int starts;

    private Pipeline(KafkaBroker kafka, ClickHouse clickhouse, Path dir) {
        this.kafka = kafka;
        this.clickhouse = clickhouse;
        this.dir = dir;
        this.topics = ProcessorTopics.prefixed(prefix);
    }

    static Pipeline create(KafkaBroker kafka, ClickHouse clickhouse, Path dir, Map<String, Policy> policies)
            throws Exception {
        Pipeline p = new Pipeline(kafka, clickhouse, dir);
        ClientConfig client = p.client();
        new TopicAdmin(client, Duration.ofSeconds(60)).createAll(p.topics, PARTITIONS, (short) 1);
        try (var admin = kafka.admin()) {
            KafkaBroker.awaitLeaders(admin, p.topics.all(), Duration.ofSeconds(60));
        }
        p.putPolicies(policies);
        return p;
    }

    ClientConfig client() {
        return new ClientConfig(kafka.bootstrapServers(), new Properties());
    }

    void putPolicies(Map<String, Policy> policies) throws InvalidPolicyException {
        new PolicyClient(client(), topics.policies(), Duration.ofSeconds(60)).putAll(policies);
    }

    /** Starts (or restarts, on the same state dir) processor instance {@code slot}. */
    ChildJvm startProcessor(int slot) {
        Path state = dir.resolve("state-" + slot);
        ChildJvm child = ChildJvm.start(ProcessorChild.class.getName(),
                List.of(kafka.bootstrapServers(), appId, prefix, state.toString(), processorClientId(slot)), Map.of(),
                List.of("-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-Dorg.slf4j.simpleLogger.log.io.tagpipe=info"), log("processor-" + slot));
        processors.put(slot, child);
        return child;
    }

    ChildJvm processor(int slot) {
        return processors.get(slot);
    }

    /** Streams client id of instance {@code slot}: how the broker names its members ({@link ProcessorGroup}). */
    String processorClientId(int slot) {
        return appId + "-p" + slot;
    }

    /** The sink's insert and query timeout from its next start on (default: the sink's own). */
    Pipeline sinkInsertTimeout(Duration timeout) {
        sinkInsertTimeout = timeout;
        return this;
    }

    /** More {@code TAGPIPE_*} settings for the sink from its next start on (e.g. pressure thresholds). */
    Pipeline sinkEnv(Map<String, String> env) {
        sinkEnv = Map.copyOf(env);
        return this;
    }

    /** What the sink is started with: "default" or e.g. "5000 ms". */
    String sinkInsertTimeoutText() {
        return sinkInsertTimeout == null ? "default" : sinkInsertTimeout.toMillis() + " ms";
    }

    ChildJvm startSink() {
        Path kafkaConfig = dir.resolve("sink-kafka.properties");
        try {
            // a restarted member must not wait 45 s for the killed one's session to expire
            Files.writeString(kafkaConfig, "session.timeout.ms=6000\nheartbeat.interval.ms=1000\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = sinkInsertTimeout == null ? List.of() : List.of(Long.toString(sinkInsertTimeout.toMillis()));
        Map<String, String> env = new HashMap<>(sinkEnv);
        env.putAll(Map.of(
                        "TAGPIPE_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                        "TAGPIPE_KAFKA_CONFIG", kafkaConfig.toString(),
                        "TAGPIPE_CLICKHOUSE_URL", clickhouse.url(),
                        "TAGPIPE_CLICKHOUSE_DATABASE", db,
                        "TAGPIPE_SINK_GROUP_ID", sinkGroup,
                        "TAGPIPE_SINK_KEPT_TOPICS", String.join(",", topics.lanes()),
                        "TAGPIPE_SINK_STATS_TOPIC", topics.stats(),
                        "TAGPIPE_SINK_DLQ_TOPIC", topics.dlq(),
                        "TAGPIPE_SINK_PRESSURE_TOPIC", topics.pressure(),
                        "TAGPIPE_SINK_BATCH_ROWS", "5000"));
        sink = ChildJvm.start(SinkChild.class.getName(), args, env,
                List.of("-Xmx384m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn"), log("sink"));
        return sink;
    }

    ChildJvm sink() {
        return sink;
    }

    /** Test-side producer that rides out a broker restart (long timeouts, idempotent, in order). */
    KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Ids stored in the logs and metrics tables (with repeats, if any). */
    List<String> storedIds() {
        String body = clickhouse.query("SELECT id FROM " + db + ".logs UNION ALL SELECT id FROM " + db + ".metrics");
        List<String> ids = new ArrayList<>();
        body.lines().filter(l -> !l.isEmpty()).forEach(ids::add);
        return ids;
    }

    boolean tablesExist() {
        return clickhouse.queryLong("SELECT count() FROM system.tables WHERE database = '" + db
                + "' AND name IN ('logs', 'metrics', 'ingest_stats')") == 3;
    }

    long storedCount() {
        return tablesExist() ? clickhouse.queryLong("SELECT (SELECT count() FROM " + db + ".logs) + (SELECT count() FROM "
                + db + ".metrics)") : 0;
    }

    /** ingest_stats summed per app (all reasons): what the processor received. */
    Map<String, Long> statsPerApp() {
        return statsPerApp("1");
    }

    /** ingest_stats of one reason summed per app. */
    Map<String, Long> statsByReason(String reason) {
        return statsPerApp("reason = '" + reason + "'");
    }

    private Map<String, Long> statsPerApp(String where) {
        Map<String, Long> out = new HashMap<>();
        if (!tablesExist()) {
            return out;
        }
        clickhouse.query("SELECT app, sum(count) FROM " + db + ".ingest_stats WHERE " + where + " GROUP BY app").lines()
                .filter(l -> !l.isEmpty()).map(l -> l.split("\t"))
                .forEach(f -> out.put(f[0], Long.parseLong(f[1])));
        return out;
    }

    int dlqCount() {
        return Expectation.readByPartition(kafka.bootstrapServers(), topics.dlq()).stream().mapToInt(List::size).sum();
    }

    /**
     * The processor committed every input record. (The sink's Kafka lag on kept/stats is not a
     * usable signal: those topics are transactional, so commit markers keep the end offset one past
     * the last record; the sink's truth is the offsets stored in ClickHouse.)
     */
    boolean drained() {
        return kafka.lag(appId, topics.records()) == 0;
    }

    /** On a failed wait: the last lines of every child log, so a CI run that fails says why. */
    void printLogTails(int lines) {
        ChildLogs.printTails(dir, lines);
    }

    private Path log(String name) {
        return dir.resolve(name + "-" + (++starts) + ".log");
    }

    @Override
    public void close() {
        processors.values().forEach(ChildJvm::close);
        if (sink != null) {
            sink.close();
        }
    }
}
