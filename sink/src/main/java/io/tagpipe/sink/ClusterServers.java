package io.tagpipe.sink;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.clickhouse.client.api.insert.InsertSettings;

/**
 * The servers of a ClickHouse cluster as {@code system.clusters} lists them, and what the sink
 * derives from them: where to read every replica ({@link #remote}) and how many replicas an insert
 * waits for ({@link #quorum}: the smallest shard's replica count).
 *
 * @param addresses every replica of every shard as {@code host:port} (native protocol), shard by shard
 */
record ClusterServers(List<String> addresses, int quorum) {

    /** The query whose rows {@link #of} reads: host, port, shard number. */
    static String query(String cluster) {
        return "SELECT host_name, port, shard_num FROM system.clusters WHERE cluster = " + Sql.literal(cluster)
                + " ORDER BY shard_num, replica_num";
    }

    /** From the rows of {@link #query}; none: the servers do not know the cluster, a configuration error. */
    static ClusterServers of(String cluster, List<String[]> rows) {
        if (rows.isEmpty()) {
            throw new IllegalStateException("ClickHouse has no cluster '" + cluster
                    + "' (system.clusters, from the servers' <remote_servers>): check --clickhouse-cluster");
        }
        Map<String, Integer> perShard = new HashMap<>();
        rows.forEach(r -> perShard.merge(r[2], 1, Integer::sum));
        return new ClusterServers(rows.stream().map(r -> r[0] + ":" + r[1]).toList(),
                perShard.values().stream().mapToInt(Integer::intValue).min().orElseThrow());
    }

    /**
     * {@code remote()} over every replica of every shard (not one replica per shard, as a Distributed
     * table or {@code cluster()} reads): it fails when any of them is unreachable. With the given
     * credentials: 18.16 has no other way to name them (they are in the query's text).
     */
    String remote(String database, String table, String user, String password) {
        return "remote(" + Sql.literal(String.join(",", addresses)) + ", " + Sql.literal(database) + ", "
                + Sql.literal(table) + ", " + Sql.literal(user) + ", " + Sql.literal(password) + ")";
    }

    /**
     * Synchronous distribution (the INSERT returns once every shard wrote its rows) and, with more
     * than one replica, a quorum of all of them, given up after {@code quorumTimeout}.
     */
    InsertSettings insertSettings(Duration quorumTimeout) {
        InsertSettings s = new InsertSettings();
        s.serverSetting("insert_distributed_sync", "1");
        if (quorum > 1) {
            s.serverSetting("insert_quorum", Integer.toString(quorum));
            s.serverSetting("insert_quorum_timeout", Long.toString(quorumTimeout.toMillis()));
        }
        return s;
    }
}
