package io.tagpipe.sink;

import java.util.List;

/**
 * Where the sink's tables live: on one server, or on a ClickHouse cluster. On a cluster each table
 * is two: {@code NAME_local}, a {@code ReplicatedMergeTree} on every server (replicated within its
 * shard through ZooKeeper/Keeper; path {@code ZK_PATH/DATABASE/NAME_local}, {@code {shard}} and
 * {@code {replica}} come from each server's macros), and {@code NAME}, a {@code Distributed} table
 * over them, sharded by {@code kafka_partition} (so every row of one Kafka partition lives on one
 * shard), all created {@code ON CLUSTER}. The columns, partitioning, ordering and TTL are
 * {@link Table}'s, whatever the layout: only the engine clause and {@code ON CLUSTER} differ.
 *
 * <p>Rows are written and read through {@code NAME} in both layouts, so whatever reads the tables
 * (report, replay) sees the whole cluster; {@code ALTER}s (retention, purge) go to the local
 * tables {@code ON CLUSTER}.
 *
 * @param cluster       the cluster's name in the servers' {@code remote_servers}; null: one server
 * @param zooKeeperPath prefix of the replicated tables' paths; must hold {@code {shard}}
 */
public record Layout(String cluster, String zooKeeperPath) {
    public static final String LOCAL_SUFFIX = "_local";
    public static final String DEFAULT_ZOOKEEPER_PATH = "/clickhouse/tables/{shard}";
    /** The column the Distributed tables shard by: a Kafka partition's rows stay on one shard. */
    public static final String SHARDING_KEY = "kafka_partition";

    private static final Layout SINGLE = new Layout(null, null);

    public static Layout single() {
        return SINGLE;
    }

    public static Layout cluster(String name, String zooKeeperPath) {
        return new Layout(name, zooKeeperPath);
    }

    public boolean isCluster() {
        return cluster != null;
    }

    /** The table that holds the rows on each server: {@code logs}, or {@code logs_local} on a cluster. */
    public String localName(Table t) {
        return isCluster() ? t.tableName() + LOCAL_SUFFIX : t.tableName();
    }

    /** {@code CREATE DATABASE IF NOT EXISTS}, on every server of the cluster. */
    public String createDatabase(String database) {
        return "CREATE DATABASE IF NOT EXISTS " + Sql.ident(database) + onCluster();
    }

    /** The idempotent DDL of one table: one statement, or the local and the Distributed table. */
    public List<String> ddl(Table t, String database, Dialect d) {
        if (!isCluster()) {
            return List.of(t.ddl(Sql.table(database, t.tableName()), "MergeTree()", d));
        }
        String local = localName(t);
        String path = zooKeeperPath.replaceAll("/+$", "") + "/" + database + "/" + local;
        return List.of(
                t.ddl(Sql.table(database, local) + onCluster(),
                        "ReplicatedMergeTree(" + Sql.literal(path) + ", '{replica}')", d),
                "CREATE TABLE IF NOT EXISTS " + Sql.table(database, t.tableName()) + onCluster() + " AS "
                        + Sql.table(database, local) + " ENGINE = Distributed(" + Sql.literal(cluster) + ", "
                        + Sql.literal(database) + ", " + Sql.literal(local) + ", " + SHARDING_KEY + ")");
    }

    /** What an {@code ALTER} names: {@code `db`.`logs`}, or {@code `db`.`logs_local` ON CLUSTER `c`}. */
    public String alterTarget(String database, Table t) {
        return Sql.table(database, localName(t)) + onCluster();
    }

    private String onCluster() {
        return isCluster() ? " ON CLUSTER " + Sql.ident(cluster) : "";
    }

    @Override
    public String toString() {
        return isCluster() ? "cluster " + cluster + " (ReplicatedMergeTree at " + zooKeeperPath + "/…, Distributed by "
                + SHARDING_KEY + ")" : "one server";
    }
}
