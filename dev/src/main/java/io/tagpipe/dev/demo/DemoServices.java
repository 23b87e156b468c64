package io.tagpipe.dev.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.tagpipe.cli.report.ClickHouseReads;
import io.tagpipe.sink.ClickHouseStore;
import io.tagpipe.testkit.ChdbEngine;
import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.ClickHouseCluster;
import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.ZooKeeper;

/**
 * The embedded Kafka broker and the ClickHouse the demo talks to: its own process, its own cluster
 * (ZooKeeper + servers; the demo talks to shard 1 replica 1, which reaches the others), or the user's.
 */
final class DemoServices implements AutoCloseable {
    private final KafkaBroker kafka;
    private final ClickHouse localClickhouse;
    private final LocalCluster cluster;
    private final String clickhouseUrl;
    private final ClickHouseReads clickhouse;

    /** The cluster the demo started and the ZooKeeper it replicates through. */
    private record LocalCluster(ZooKeeper zooKeeper, ClickHouseCluster servers) implements AutoCloseable {
        @Override
        public void close() {
            try {
                servers.close();
            } finally {
                zooKeeper.close();
            }
        }
    }

    private DemoServices(KafkaBroker kafka, ClickHouse local, LocalCluster cluster, String url, ClickHouseReads clickhouse) {
        this.kafka = kafka;
        this.localClickhouse = local;
        this.cluster = cluster;
        this.clickhouseUrl = url;
        this.clickhouse = clickhouse;
    }

    static DemoServices start(DemoSettings s, PrintWriter out) {
        long t0 = System.nanoTime();
        KafkaBroker kafka = KafkaBroker.start(s.workDir().resolve("kafka"));
        out.printf("  kafka       %s (embedded KRaft broker, data in %s) in %.1f s%n", kafka.bootstrapServers(),
                kafka.logDir(), (System.nanoTime() - t0) / 1e9);
        out.flush();
        try {
            if (s.clickhouseUrl().isPresent()) {
                String url = s.clickhouseUrl().get();
                ClickHouseReads reads = reads(url, s.clickhouseUser(), s.clickhousePassword(), s.database());
                out.println("  clickhouse  " + url + " (existing server, version " + reads.text("SELECT version()").strip() + ")");
                return new DemoServices(kafka, null, null, url, reads);
            }
            if (s.cluster().isPresent()) {
                return startCluster(kafka, s.cluster().get(), s, out);
            }
            long t1 = System.nanoTime();
            ClickHouse ch = s.localClickhouse() == DemoSettings.LocalClickHouse.CURRENT
                    ? ChdbEngine.start(java.nio.file.Files.createDirectories(s.workDir().resolve("clickhouse")))
                    : ClickHouseServer.start(s.workDir().resolve("clickhouse"));
            ClickHouseReads reads = reads(ch.url(), "default", "", s.database());
            String what = ch instanceof ClickHouseServer server
                    ? "clickhouse-server " + reads.text("SELECT version()").strip() + ", tcp port " + server.tcpPort()
                    : "ClickHouse " + reads.text("SELECT version()").strip() + " engine (chDB) behind a loopback HTTP front";
            out.printf("  clickhouse  %s (%s, data in %s) in %.1f s%n", ch.url(), what, ch.dir(),
                    (System.nanoTime() - t1) / 1e9);
            return new DemoServices(kafka, ch, null, ch.url(), reads);
        } catch (java.io.IOException e) {
            kafka.close();
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    private static DemoServices startCluster(KafkaBroker kafka, ClusterShape shape, DemoSettings s, PrintWriter out) {
        long t0 = System.nanoTime();
        ZooKeeper zk = ZooKeeper.start(s.workDir().resolve("zookeeper"));
        out.printf("  zookeeper   %s (Debian's zookeeper, data in %s) in %.1f s%n", zk.connectString(), zk.dir(),
                (System.nanoTime() - t0) / 1e9);
        out.flush();
        LocalCluster cluster;
        try {
            long t1 = System.nanoTime();
            cluster = new LocalCluster(zk, ClickHouseCluster.start(s.workDir().resolve("clickhouse"), zk, ClusterShape.NAME,
                    shape.shards(), shape.replicas()));
            out.printf("  clickhouse  cluster '%s': %s, %d clickhouse-server processes in %.1f s%n", ClusterShape.NAME, shape,
                    shape.servers(), (System.nanoTime() - t1) / 1e9);
        } catch (RuntimeException e) {
            zk.close();
            throw e;
        }
        try {
            ClickHouseCluster.Node entry = cluster.servers().node(1, 1);
            ClickHouseReads reads = reads(entry.url(), "default", "", s.database());
            String version = reads.text("SELECT version()").strip();
            for (ClickHouseCluster.Node n : cluster.servers().nodes()) {
                out.printf("    shard %d replica %d  %s (clickhouse-server %s, tcp port %d, data in %s)%s%n", n.shard(), n.replica(),
                        n.url(), version, n.server().tcpPort(), n.server().dir(), n == entry ? "  <- the sink and the report talk to this one" : "");
            }
            return new DemoServices(kafka, null, cluster, entry.url(), reads);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static ClickHouseReads reads(String url, String user, String password, String database) {
        return new ClickHouseReads(new ClickHouseStore(url, user, password, database, Duration.ofSeconds(60)));
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    String clickhouseUrl() {
        return clickhouseUrl;
    }

    ClickHouseReads clickhouse() {
        return clickhouse;
    }

    Optional<ClickHouse> localClickhouse() {
        return Optional.ofNullable(localClickhouse);
    }

    /** The cluster the demo started, if it started one. */
    Optional<ClickHouseCluster> cluster() {
        return Optional.ofNullable(cluster).map(LocalCluster::servers);
    }

    /** The cluster's name for the sink and the report; null on one server. */
    String clusterName() {
        return cluster == null ? null : cluster.servers().name();
    }

    /** The native port for {@code clickhouse-client}, when the demo runs a clickhouse-server (on a cluster: the entry server). */
    int clickhouseTcpPort() {
        if (cluster != null) {
            return cluster.servers().node(1, 1).server().tcpPort();
        }
        return localClickhouse instanceof ClickHouseServer server ? server.tcpPort() : -1;
    }

    Path kafkaDir() {
        return kafka.logDir();
    }

    @Override
    public void close() {
        try {
            clickhouse.close();
            if (localClickhouse != null) {
                localClickhouse.close();
            }
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            kafka.close();
        }
    }
}
