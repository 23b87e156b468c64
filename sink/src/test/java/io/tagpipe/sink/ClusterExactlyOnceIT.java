package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
    /**
     * The last records reach Kafka only once a server is down, so the sink has rows to insert while it
     * is: with every record there from the start, a fast sink could store them all before the kill.
     */
    private static final int TAIL = 6_000;
    private static final int PARTITIONS = 4;

    @Test
    void twoShardsKeepEachKafkaPartitionOnOneShardAcrossAShardKill(KafkaBroker kafka, ZooKeeper zk,
                                                                   @TempDir Path dir) throws Exception {
        try (ClickHouseCluster cluster = ClickHouseCluster.start(dir.resolve("ch"), zk, "tp_shards", 2, 1)) {
            Run run = Run.prepare(kafka, cluster, dir);
            SinkIT.Names n = run.names();
            ClickHouseServer entry = run.entry();
            Process sink = run.sinkOnceStored(dir.resolve("sink.log"), "logs", RECORDS / 4);
            killUntilThePause(cluster, cluster.node(2, 1), run, kafka, dir.resolve("sink.log"));
            awaitAllWritten(kafka, n, sink, dir.resolve("sink.log"));

            Set<String> stored = new TreeSet<>();
            for (ClickHouseCluster.Node node : cluster.nodes()) {
                // a Kafka partition lives on shard (partition mod shards) + 1, and only there
                assertThat(node.server().query("SELECT DISTINCT kafka_partition FROM " + n.db() + ".logs_local").lines()
                        .map(Integer::parseInt).allMatch(p -> p % 2 + 1 == node.shard())).as(node.toString()).isTrue();
                List<String> ids = ids(node.server(), n.db());
                assertThat(ids).as("no id twice on " + node).doesNotHaveDuplicates();
                ids.forEach(id -> assertThat(stored.add(id)).as("id on two shards: " + id).isTrue());
            }
            assertThat(stored).isEqualTo(run.expected());
            assertThat(entry.queryLong("SELECT count() FROM " + n.db() + ".logs")).isEqualTo(RECORDS);

        }
    }

    @Test
    void twoReplicasStoreEveryRecordOnceAcrossAReplicaKillAndASinkKill(KafkaBroker kafka, ZooKeeper zk,
                                                                      @TempDir Path dir) throws Exception {
        try (ClickHouseCluster cluster = ClickHouseCluster.start(dir.resolve("ch"), zk, "tp_replicas", 1, 2)) {
            Run run = Run.prepare(kafka, cluster, dir);
            SinkIT.Names n = run.names();
            Process first = run.sinkOnceStored(dir.resolve("first.log"), "logs_local", RECORDS / 6);
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);           // kill -9: no flush, no commit
            long atKill = count(run.entry(), n.db() + ".logs_local");
            Process second = run.sinkOnceStored(dir.resolve("second.log"), "logs_local", atKill + 1);
            killUntilThePause(cluster, cluster.node(1, 2), run, kafka, dir.resolve("second.log"));
            awaitAllWritten(kafka, n, second, dir.resolve("second.log"));

            for (ClickHouseCluster.Node node : cluster.nodes()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> count(node.server(), n.db() + ".logs_local") >= RECORDS);
                List<String> ids = ids(node.server(), n.db());
                assertThat(ids).as("no id twice on " + node).doesNotHaveDuplicates();
                assertThat(new TreeSet<>(ids)).as("every id on " + node).isEqualTo(run.expected());
            }
        }
    }

    /**
     * Two lanes on a shard of two replicas: the sink's two insert slots (top lane, the rest) both write the
     * replicated table while critical records keep arriving and the low backlog drains. No insert fails (the
     * sink never pauses) and every record is stored once on each replica. The slots take turns per INSERT
     * because 18.16 takes one quorum INSERT per table at a time; that rule is proven in
     * {@code ExactlyOnceDeliveryTest} — here a run without the turns passed too (on loopback a quorum is
     * reached within milliseconds, so overlaps rarely meet one still open).
     */
    @Test
    void twoLanesOnTwoReplicasBothInsertSlotsStoreEveryRecordOnceWithoutAFailedInsert(KafkaBroker kafka, ZooKeeper zk,
                                                                   @TempDir Path dir) throws Exception {
        try (ClickHouseCluster cluster = ClickHouseCluster.start(dir.resolve("ch"), zk, "tp_lanes", 1, 2)) {
            Run run = Run.prepare(kafka, cluster, dir);
            run.sendTail(kafka);
            SinkIT.Names n = run.names();
            String critical = n.kept() + ".critical";
            kafka.createTopic(critical, 2);
            run.env().put("TAGPIPE_SINK_KEPT_TOPICS", critical + "," + n.kept());
            Set<String> expected = new TreeSet<>(run.expected());
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            Thread trickle = new Thread(() -> {
                try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers())) {
                    while (!stop.get()) {
                        int from = sent.get();
                        SinkTestSupport.send(p, critical, SinkIT.envelopes("k", from, from + 50, System.currentTimeMillis()));
                        sent.addAndGet(50);
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "critical-trickle");
            trickle.start();
            Process sink = SinkProcessIT.startSink(run.env(), dir.resolve("sink.log"));
            try {
                await().atMost(Duration.ofSeconds(180)).until(() -> count(run.entry(), n.db() + ".logs_local") >= RECORDS);
            } finally {
                stop.set(true);
                trickle.join(30_000);
            }
            IntStream.range(0, sent.get()).mapToObj(i -> "k-" + i).forEach(expected::add);
            for (ClickHouseCluster.Node node : cluster.nodes()) {
                await().atMost(Duration.ofSeconds(120)).until(() -> count(node.server(), n.db() + ".logs_local") >= expected.size());
            }
            sink.destroy();
            assertThat(sink.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(dir.resolve("sink.log"));
            assertThat(log).contains("sink stopped after writing").doesNotContain("unavailable, pausing");
            for (ClickHouseCluster.Node node : cluster.nodes()) {
                List<String> ids = ids(node.server(), n.db());
                assertThat(ids).as("no id twice on " + node).doesNotHaveDuplicates();
                assertThat(new TreeSet<>(ids)).as("every id on " + node).isEqualTo(expected);
            }
        }
    }

    /** Topics with the records in Kafka, the ids expected, the server the sink talks to, the sink's environment. */
    private record Run(SinkIT.Names names, Set<String> expected, ClickHouseServer entry, Map<String, String> env) {
        static Run prepare(KafkaBroker kafka, ClickHouseCluster cluster, Path dir) throws Exception {
            String id = RealServices.unique("cluster");
            SinkIT.Names n = new SinkIT.Names(id + ".kept", id + ".stats", id + ".dlq", id + "-group", id);
            kafka.createTopic(n.kept(), PARTITIONS);
            kafka.createTopic(n.stats(), 1);
            kafka.createTopic(n.dlq(), 1);
            try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers())) {
                SinkTestSupport.send(p, n.kept(), SinkIT.envelopes("c", 0, RECORDS - TAIL, System.currentTimeMillis()));
            }
            Map<String, String> env = SinkProcessIT.env(kafka, n, cluster.node(1, 1).url(), dir);
            env.put("TAGPIPE_SINK_CLICKHOUSE_CLUSTER", cluster.name());
            env.put("TAGPIPE_SINK_BATCH_ROWS", "3000");
            env.put("TAGPIPE_SINK_BATCH_MIN_ROWS", "3000");
            return new Run(n, IntStream.range(0, RECORDS).mapToObj(i -> "c-" + i).collect(Collectors.toCollection(TreeSet::new)),
                    cluster.node(1, 1).server(), env);
        }

        /** The last {@value #TAIL} of the expected records, into the kept topic. */
        void sendTail(KafkaBroker kafka) throws Exception {
            try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers())) {
                SinkTestSupport.send(p, names.kept(), SinkIT.envelopes("c", RECORDS - TAIL, RECORDS, System.currentTimeMillis()));
            }
        }

        /** Starts the sink and waits until the entry server's {@code table} holds {@code rows}. */
        Process sinkOnceStored(Path log, String table, long rows) throws IOException {
            Process sink = SinkProcessIT.startSink(env, log);
            await().atMost(Duration.ofSeconds(120)).until(() -> count(entry, names.db() + "." + table) >= rows);
            return sink;
        }
    }

    /**
     * kill -9 of {@code node} while the sink writes, then the run's last records: the sink must insert them
     * while the node is down; the node is restarted once the sink says it paused.
     */
    private static void killUntilThePause(ClickHouseCluster cluster, ClickHouseCluster.Node node, Run run,
                                          KafkaBroker kafka, Path log) throws Exception {
        cluster.kill9(node);
        run.sendTail(kafka);
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(log).contains("unavailable, pausing"));
        cluster.restart(node);
    }

    /** Every record committed, then SIGTERM: the sink flushes, commits and exits 143. */
    private static void awaitAllWritten(KafkaBroker kafka, SinkIT.Names n, Process sink, Path log)
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
}
