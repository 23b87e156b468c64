package io.tagpipe.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A ClickHouse cluster of {@link ClickHouseServer}s (18.16 here) replicating through one
 * {@link ZooKeeper}: {@code shards × replicas} servers on free loopback ports, each with its own
 * throw-away dir and a {@code config.d/cluster.xml} that names the ZooKeeper, its {@code {shard}}
 * and {@code {replica}} macros, the cluster ({@code remote_servers}, internal replication) and a
 * distributed DDL queue of its own. Tables are created by the code under test ({@code ON CLUSTER}).
 *
 * <p>Several clusters may share one ZooKeeper: each gets its own DDL queue path, and table paths
 * are the code under test's business (they name the database). {@link #close()} stops the servers,
 * not the ZooKeeper.
 */
public final class ClickHouseCluster implements AutoCloseable {
    /** One server of the cluster: its shard and replica number (both from 1) and the process. */
    public record Node(int shard, int replica, ClickHouseServer server) {
        public String url() {
            return server.url();
        }

        @Override
        public String toString() {
            return "shard " + shard + " replica " + replica + " (" + server.url() + ")";
        }
    }

    private final String name;
    private final int shards;
    private final int replicas;
    private final List<Node> nodes;

    private ClickHouseCluster(String name, int shards, int replicas, List<Node> nodes) {
        this.name = name;
        this.shards = shards;
        this.replicas = replicas;
        this.nodes = nodes;
    }

    /**
     * Starts {@code shards × replicas} servers under {@code dir} (one sub-dir each) using {@code zk};
     * {@code name} is the cluster's name in {@code remote_servers} (what {@code ON CLUSTER} names).
     */
    public static ClickHouseCluster start(Path dir, ZooKeeper zk, String name, int shards, int replicas) {
        if (shards < 1 || replicas < 1 || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("need shards >= 1, replicas >= 1 and a plain name, got "
                    + shards + " x " + replicas + " '" + name + "'");
        }
        List<Node> nodes = new ArrayList<>();
        for (int s = 1; s <= shards; s++) {
            for (int r = 1; r <= replicas; r++) {
                nodes.add(new Node(s, r, ClickHouseServer.create(dir.resolve("s" + s + "r" + r))));
            }
        }
        String servers = remoteServers(name, nodes, shards);
        for (Node n : nodes) {
            n.server().addConfig("cluster", """
                    <?xml version="1.0"?>
                    <yandex>
                      <zookeeper replace="1">
                        <node><host>127.0.0.1</host><port>%d</port></node>
                        <session_timeout_ms>5000</session_timeout_ms>
                      </zookeeper>
                      <macros replace="1"><shard>%d</shard><replica>s%dr%d</replica><cluster>%s</cluster></macros>
                      <interserver_http_host>127.0.0.1</interserver_http_host>
                      <distributed_ddl><path>/clickhouse/task_queue/%s-%d</path></distributed_ddl>
                    %s
                    </yandex>
                    """.formatted(zk.port(), n.shard(), n.shard(), n.replica(), name, name,
                    nodes.get(0).server().tcpPort(), servers));
        }
        ClickHouseCluster cluster = new ClickHouseCluster(name, shards, replicas, List.copyOf(nodes));
        try {
            // one after the other: 2 shared cores, and each server is up in ~2 s
            nodes.forEach(n -> n.server().start());
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private static String remoteServers(String name, List<Node> nodes, int shards) {
        StringBuilder b = new StringBuilder("  <remote_servers replace=\"1\"><").append(name).append('>');
        for (int s = 1; s <= shards; s++) {
            int shard = s;
            b.append("\n    <shard><internal_replication>true</internal_replication>")
                    .append(nodes.stream().filter(n -> n.shard() == shard)
                            .map(n -> "<replica><host>127.0.0.1</host><port>" + n.server().tcpPort() + "</port></replica>")
                            .collect(Collectors.joining()))
                    .append("</shard>");
        }
        return b.append("\n  </").append(name).append("></remote_servers>").toString();
    }

    /** The name {@code ON CLUSTER} and {@code Distributed(…)} use. */
    public String name() {
        return name;
    }

    public int shards() {
        return shards;
    }

    public int replicas() {
        return replicas;
    }

    /** Every node, shard by shard, replica by replica. */
    public List<Node> nodes() {
        return nodes;
    }

    /** Shard and replica count from 1. */
    public Node node(int shard, int replica) {
        return nodes.stream().filter(n -> n.shard() == shard && n.replica() == replica).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no shard " + shard + " replica " + replica));
    }

    /** SIGKILL: the server dies as in a crash; its data dir and ports stay for {@link #restart}. */
    public void kill9(Node node) {
        node.server().kill();
    }

    /** Starts a killed or stopped node again (same dir, same ports) and waits for it to answer. */
    public void restart(Node node) {
        node.server().start();
    }

    /** Stops every node, all at once (SIGTERM, SIGKILL after 20 s; 18.16 takes 10–25 s to exit). */
    public void stop() {
        nodes.parallelStream().forEach(n -> n.server().stop(java.time.Duration.ofSeconds(20)));
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "ClickHouse cluster " + name + " (" + shards + " shard(s) x " + replicas + " replica(s), 18.16)";
    }
}
