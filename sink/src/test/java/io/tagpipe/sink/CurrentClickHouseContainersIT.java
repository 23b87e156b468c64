package io.tagpipe.sink;

import static io.tagpipe.sink.SinkTestSupport.kept;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tagpipe.wire.Envelope;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The write, exactly-once and retention checks against a CURRENT ClickHouse (DateTime64, Map, TTL)
 * and a Kafka image. Runs only where a Docker engine exists; skipped here.
 *
 * <p>ClickHouse runs as a plain container polled on {@code /ping}: the module's ClickHouseContainer
 * is a JDBC container, and the sink deliberately has no JDBC driver.
 */
@Testcontainers(disabledWithoutDocker = true)
class CurrentClickHouseContainersIT {
    private static final String USER = "tagpipe";
    private static final String PASSWORD = "it-secret";
    private static final long DAY = 86_400_000L;

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.0.0");

    @Container
    @SuppressWarnings("resource")
    static final GenericContainer<?> CLICKHOUSE = new GenericContainer<>("clickhouse/clickhouse-server:25.3.14.14")
            .withEnv(Map.of("CLICKHOUSE_USER", USER, "CLICKHOUSE_PASSWORD", PASSWORD,
                    "CLICKHOUSE_DEFAULT_ACCESS_MANAGEMENT", "1"))
            .withExposedPorts(8123)
            .waitingFor(Wait.forHttp("/ping").forPort(8123).forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)));

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void currentDialectWritesMapAttrsDateTime64AndTtl() throws Exception {
        String id = names();
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(KAFKA.getBootstrapServers());
             Sink sink = Sink.start(config(id).build(), Clock.systemUTC())) {
            SinkTestSupport.send(p, id + ".kept", List.of(kept("c-1", "billing", now, 14)));
            await().atMost(Duration.ofSeconds(90)).until(() -> count(id + ".logs") == 1);
        }
        assertThat(query("SELECT attrs['order'], toTypeName(ts), retention_days, kafka_topic FROM " + id + ".logs"))
                .isEqualTo("c-1\tDateTime64(3)\t14\t" + id + ".kept");
        assertThat(query("SHOW CREATE TABLE " + id + ".logs")).contains("TTL").contains("ttl_only_drop_parts = 1")
                .contains("LowCardinality(String)").contains("Map(String, String)");
    }

    @Test
    void killNineAndRestartWritesEveryRecordExactlyOnce(@TempDir Path dir) throws Exception {
        String id = names();
        int records = 100_000;
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(KAFKA.getBootstrapServers())) {
            SinkTestSupport.send(p, id + ".kept", SinkIT.envelopes("k", 0, records, System.currentTimeMillis()));
        }
        Path kafkaConfig = dir.resolve("kafka.properties");
        Files.writeString(kafkaConfig, "session.timeout.ms=6000\nheartbeat.interval.ms=1000\n");
        Map<String, String> env = new java.util.HashMap<>();
        env.put("TAGPIPE_BOOTSTRAP_SERVERS", KAFKA.getBootstrapServers());
        env.put("TAGPIPE_KAFKA_CONFIG", kafkaConfig.toString());
        env.put("TAGPIPE_CLICKHOUSE_URL", url());
        env.put("TAGPIPE_CLICKHOUSE_USER", USER);
        env.put("TAGPIPE_CLICKHOUSE_PASSWORD", PASSWORD);
        env.put("TAGPIPE_CLICKHOUSE_DATABASE", id);
        env.put("TAGPIPE_SINK_GROUP_ID", id + "-group");
        env.put("TAGPIPE_SINK_KEPT_TOPICS", id + ".kept");
        env.put("TAGPIPE_SINK_STATS_TOPIC", id + ".stats");
        env.put("TAGPIPE_SINK_DLQ_TOPIC", id + ".dlq");
        env.put("TAGPIPE_SINK_BATCH_ROWS", "5000");
        Process first = start(env, dir.resolve("first.log"));
        await().atMost(Duration.ofSeconds(120)).until(() -> count(id + ".logs") >= 10_000);
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Process second = start(env, dir.resolve("second.log"));
        await().atMost(Duration.ofSeconds(180)).until(() -> count(id + ".logs") >= records);
        second.destroy();
        second.waitFor(60, TimeUnit.SECONDS);
        assertThat(query("SELECT count(), uniqExact(id) FROM " + id + ".logs")).isEqualTo(records + "\t" + records);
    }

    @Test
    void retentionDropsExpiredPartitionsAndDeletesAShortenedAppsRows() throws Exception {
        String id = names();
        long now = System.currentTimeMillis();
        List<Envelope> records = new ArrayList<>(List.of(kept("seven-1", "weekly", now - 20 * DAY, 7),
                kept("month-1", "monthly", now - 2 * DAY, 30), kept("short-old", "shortened", now - 10 * DAY, 30),
                kept("short-new", "shortened", now, 3)));
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(KAFKA.getBootstrapServers());
             Sink sink = Sink.start(config(id).build(), Clock.systemUTC())) {
            SinkTestSupport.send(p, id + ".kept", records);
            await().atMost(Duration.ofSeconds(90)).until(() -> count(id + ".logs") == 4);
        }
        try (ClickHouseStore store = new ClickHouseStore(url(), USER, PASSWORD, id, Duration.ofSeconds(30))) {
            assertThat(new RetentionJob(store, Clock.systemUTC()).runOnce().deletions()).hasSize(1);
            await().atMost(Duration.ofSeconds(60)).until(() -> count(id + ".logs") == 3);
            var later = new RetentionJob(store, Clock.offset(Clock.systemUTC(), Duration.ofDays(3))).runOnce();
            assertThat(later.droppedPartitions()).singleElement().asString().startsWith("logs (7, ");
            await().atMost(Duration.ofSeconds(60)).until(() -> count(id + ".logs") == 2);
        }
    }

    private String names() throws Exception {
        String id = "tc_" + Long.toString(System.nanoTime(), 36);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.getBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(id + ".kept", 2, (short) 1), new NewTopic(id + ".stats", 1, (short) 1),
                    new NewTopic(id + ".dlq", 1, (short) 1))).all().get();
            io.tagpipe.testkit.KafkaBroker.awaitLeaders(admin, List.of(id + ".kept", id + ".stats", id + ".dlq"),
                    Duration.ofSeconds(60));
        }
        return id;
    }

    private SinkConfig.Builder config(String id) {
        return SinkConfig.builder().bootstrapServers(KAFKA.getBootstrapServers()).clickhouseUrl(url())
                .clickhouseUser(USER).clickhousePassword(PASSWORD).database(id).groupId(id + "-group")
                .keptTopics(List.of(id + ".kept")).statsTopic(id + ".stats").dlqTopic(id + ".dlq")
                .batchMaxWait(Duration.ofMillis(200));
    }

    private static String url() {
        return "http://" + CLICKHOUSE.getHost() + ":" + CLICKHOUSE.getMappedPort(8123);
    }

    private long count(String table) {
        try {
            return Long.parseLong(query("SELECT count() FROM " + table));
        } catch (Exception e) {
            return -1;
        }
    }

    private String query(String sql) throws IOException, InterruptedException {
        String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/"))
                .header("Authorization", "Basic " + auth).POST(HttpRequest.BodyPublishers.ofString(sql)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(r.body());
        }
        return r.body().trim();
    }

    private static Process start(Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SinkMain.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }
}
