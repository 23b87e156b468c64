package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.tagpipe.testkit.ClickHouseCluster;
import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.testkit.ZooKeeper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once into a ClickHouse cluster (18.16 + ZooKeeper), the sink as a real child JVM: every
 * expected id stored once — compared by id on every server — across a shard killed and restarted
 * (2 shards × 1 replica), a replica killed and restarted and the sink killed and restarted
 * (1 shard × 2 replicas). The sink talks to the first server, which is never killed.
 */
@ExtendWith(RealServices.class)
class ClusterExactlyOnceIT {
    private static final int RECORDS = 60_000;
    private static final int PARTITIONS = 4;

    @Test
    void twoShardsKeepEachKafkaPartitionOnOneShardAcrossAShardKill(KafkaBroker kafka, ZooKeeper zk,
                                                                   @TempDir Path dir) throws Exception {
        try (ClickHouseCluster cluster = ClickHouseCluster.start(dir.resolve("ch"), zk, "tp_shards", 2, 1)) {
            SinkIT.Names n = names(kafka);
            Set<String> expected = produce(kafka, n);
            ClickHouseServer entry = cluster.node(1, 1).server();
            Map<String, String> env = env(kafka, n, cluster, dir);

            Process sink = SinkProcessIT.startSink(env, dir.resolve("sink.log"));
            await().atMost(Duration.ofSeconds(120)).until(() -> count(entry, n.db() + ".logs") >= RECORDS / 4);
            ClickHouseCluster.Node shard2 = cluster.node(2, 1);
            cluster.kill9(shard2);
            await().atMost(Duration.ofSeconds(90)).until(() -> log(dir, "sink.log").contains("unavailable, pausing"));
            cluster.restart(shard2);
            awaitAllWritten(kafka, n, entry, sink, dir.resolve("sink.log"));

            Set<String> stored = new TreeSet<>();
            for (ClickHouseCluster.Node node : cluster.nodes()) {
                // a Kafka partition lives on shard (partition mod shards) + 1, and only there
                assertThat(node.server().query("SELECT DISTINCT kafka_partition FROM " + n.db() + ".logs_local").lines()
                        .map(Integer::parseInt).allMatch(p -> p % 2 + 1 == node.shard())).as(node.toString()).isTrue();
                List<String> ids = ids(node.server(), n.db());
                assertThat(ids).as("no id twice on " + node).doesNotHaveDuplicates();
                ids.forEach(id -> assertThat(stored.add(id)).as("id on two shards: " + id).isTrue());
            }
            assertThat(stored).isEqualTo(expected);
            assertThat(entry.queryLong("SELECT count() FROM " + n.db() + ".logs")).isEqualTo(RECORDS);

            retentionAndPurgeActOnEveryShard(cluster, n);
        }
    }

    @Test
    void twoReplicasStoreEveryRecordOnceAcrossAReplicaKillAndASinkKill(KafkaBroker kafka, ZooKeeper zk,
                                                                      @TempDir Path dir) throws Exception {
        try (ClickHouseCluster cluster = ClickHouseCluster.start(dir.resolve("ch"), zk, "tp_replicas", 1, 2)) {
            SinkIT.Names n = names(kafka);
            Set<String> expected = produce(kafka, n);
            ClickHouseServer entry = cluster.node(1, 1).server();
            Map<String, String> env = env(kafka, n, cluster, dir);

            Process first = SinkProcessIT.startSink(env, dir.resolve("first.log"));
            await().atMost(Duration.ofSeconds(120)).until(() -> count(entry, n.db() + ".logs_local") >= RECORDS / 6);
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);           // kill -9: no flush, no commit
            Process second = SinkProcessIT.startSink(env, dir.resolve("second.log"));
            long atKill = count(entry, n.db() + ".logs_local");
            await().atMost(Duration.ofSeconds(120)).until(() -> count(entry, n.db() + ".logs_local") > atKill);
            ClickHouseCluster.Node replica2 = cluster.node(1, 2);
            cluster.kill9(replica2);
            await().atMost(Duration.ofSeconds(90)).until(() -> log(dir, "second.log").contains("unavailable, pausing"));
            cluster.restart(replica2);
            awaitAllWritten(kafka, n, entry, second, dir.resolve("second.log"));

            for (ClickHouseCluster.Node node : cluster.nodes()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> count(node.server(), n.db() + ".logs_local") >= RECORDS);
                List<String> ids = ids(node.server(), n.db());
                assertThat(ids).as("no id twice on " + node).doesNotHaveDuplicates();
                assertThat(new TreeSet<>(ids)).as("every id on " + node).isEqualTo(expected);
            }
        }
    }

    /** ALTER … ON CLUSTER through the sink's own retention job and purge. */
    private static void retentionAndPurgeActOnEveryShard(ClickHouseCluster cluster, SinkIT.Names n) throws Exception {
        Layout layout = Layout.cluster(cluster.name(), Layout.DEFAULT_ZOOKEEPER_PATH);
        try (ClickHouseStore store = new ClickHouseStore(cluster.node(1, 1).url(), "default", "", n.db(),
                Duration.ofSeconds(60), layout)) {
            long purged = new RetentionJob(store, Clock.systemUTC()).purge("app-0", Duration.ofMinutes(1));
            assertThat(purged).isEqualTo(RECORDS / 5);
            for (ClickHouseCluster.Node node : cluster.nodes()) {
                assertThat(node.server().queryLong("SELECT count() FROM " + n.db() + ".logs_local WHERE app = 'app-0'"))
                        .as(node.toString()).isZero();
                assertThat(node.server().queryLong("SELECT count() FROM " + n.db() + ".logs_local")).isPositive();
            }
            Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(40)), ZoneOffset.UTC); // past the 30 days
            assertThat(new RetentionJob(store, later).runOnce().droppedPartitions()).isNotEmpty();
            for (ClickHouseCluster.Node node : cluster.nodes()) {
                assertThat(node.server().queryLong("SELECT count() FROM " + n.db() + ".logs_local")).as(node.toString()).isZero();
            }
        }
    }

    private static SinkIT.Names names(KafkaBroker kafka) {
        String id = RealServices.unique("cluster");
        SinkIT.Names n = new SinkIT.Names(id + ".kept", id + ".stats", id + ".dlq", id + "-group", id);
        kafka.createTopic(n.kept(), PARTITIONS);
        kafka.createTopic(n.stats(), 1);
        kafka.createTopic(n.dlq(), 1);
        return n;
    }

    private static Set<String> produce(KafkaBroker kafka, SinkIT.Names n) throws Exception {
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers())) {
            SinkTestSupport.send(p, n.kept(), SinkIT.envelopes("c", 0, RECORDS, now));
        }
        return IntStream.range(0, RECORDS).mapToObj(i -> "c-" + i).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, String> env(KafkaBroker kafka, SinkIT.Names n, ClickHouseCluster cluster, Path dir)
            throws IOException {
        Path kafkaConfig = dir.resolve("kafka.properties");
        // a restarted member must not wait 45 s for the killed one's session to expire
        Files.writeString(kafkaConfig, "session.timeout.ms=6000\nheartbeat.interval.ms=1000\n");
        Map<String, String> env = new HashMap<>(Map.of(
                "TAGPIPE_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "TAGPIPE_KAFKA_CONFIG", kafkaConfig.toString(),
                "TAGPIPE_CLICKHOUSE_URL", cluster.node(1, 1).url(),
                "TAGPIPE_CLICKHOUSE_DATABASE", n.db(),
                "TAGPIPE_SINK_CLICKHOUSE_CLUSTER", cluster.name(),
                "TAGPIPE_SINK_GROUP_ID", n.group(),
                "TAGPIPE_SINK_KEPT_TOPICS", n.kept(),
                "TAGPIPE_SINK_STATS_TOPIC", n.stats(),
                "TAGPIPE_SINK_DLQ_TOPIC", n.dlq(),
                "TAGPIPE_SINK_BATCH_ROWS", "3000"));
        env.put("TAGPIPE_SINK_BATCH_MIN_ROWS", "3000");
        return env;
    }

    /** Every record committed, then SIGTERM: the sink flushes, commits and exits 143. */
    private static void awaitAllWritten(KafkaBroker kafka, SinkIT.Names n, ClickHouseServer entry, Process sink, Path log)
            throws Exception {
        await().atMost(Duration.ofSeconds(240)).until(() -> !sink.isAlive()
                || SinkTestSupport.lag(kafka.bootstrapServers(), n.group(), n.kept()) == 0);
        assertThat(sink.isAlive()).as(Files.readString(log)).isTrue();
        sink.destroy();
        assertThat(sink.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(log)).contains("layout:            cluster ", "sink stopped after writing");
        assertThat(SinkTestSupport.readAll(kafka.bootstrapServers(), n.dlq(), 1, Duration.ofSeconds(2))).isEmpty();
    }

    private static List<String> ids(ClickHouseServer server, String db) {
        return Arrays.stream(server.query("SELECT id FROM " + db + ".logs_local").split("\n"))
                .filter(s -> !s.isEmpty()).toList();
    }

    private static long count(ClickHouseServer server, String table) {
        try {
            return server.queryLong("SELECT count() FROM " + table);
        } catch (RuntimeException e) {
            return -1; // not created yet, or restarting
        }
    }

    private static String log(Path dir, String name) throws IOException {
        return Files.readString(dir.resolve(name));
    }
}
