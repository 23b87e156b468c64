package io.tagpipe.dev.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.tagpipe.sink.Layout;
import io.tagpipe.testkit.ClickHouseCluster;

/**
 * What each server of the demo's cluster holds in its own {@code logs_local} + {@code metrics_local}
 * (not through the Distributed tables): the demo prints it and checks it against how the sink shards
 * and replicates — every replica of a shard holds the same rows, no server holds an id twice, the
 * shards add up to what the Distributed tables count, and a Kafka partition's rows live on one shard.
 */
final class ClusterHoldings {
    private ClusterHoldings() {
    }

    /** One server's local rows: how many, how many distinct ids, and the Kafka partition numbers they came from. */
    record Holding(int shard, int replica, String url, long rows, long distinctIds, List<Integer> partitions) {
        String line() {
            return String.format(Locale.ROOT, "shard %d replica %d (%s): %d rows, %d distinct ids, from kafka partitions %s",
                    shard, replica, url, rows, distinctIds, partitions);
        }
    }

    /** Asks every server of {@code cluster} for its local rows of {@code database}. */
    static List<Holding> read(ClickHouseCluster cluster, String database) {
        String db = "`" + database + "`.";
        String sql = "SELECT count(), uniqExact(id), arraySort(groupUniqArray(kafka_partition)) "
                + "FROM (SELECT id, kafka_partition FROM " + db + "logs" + Layout.LOCAL_SUFFIX
                + " UNION ALL SELECT id, kafka_partition FROM " + db + "metrics" + Layout.LOCAL_SUFFIX + ")";
        List<Holding> out = new ArrayList<>();
        for (ClickHouseCluster.Node n : cluster.nodes()) {
            String[] f = n.server().query(sql).strip().split("\t", -1);
            String list = f[2].replaceAll("[\\[\\]\\s]", ""); // an array in TabSeparated: [0,2]
            List<Integer> partitions = list.isEmpty() ? List.of() : Arrays.stream(list.split(",")).map(Integer::parseInt).toList();
            out.add(new Holding(n.shard(), n.replica(), n.url(), Long.parseLong(f[0]), Long.parseLong(f[1]), partitions));
        }
        return out;
    }

    /** Empty when the servers hold what the sink's cluster layout promises; {@code stored} = rows the Distributed tables count. Pure. */
    static List<String> problems(List<Holding> holdings, long stored) {
        List<String> p = new ArrayList<>();
        Map<Integer, List<Holding>> byShard = holdings.stream()
                .collect(Collectors.groupingBy(Holding::shard, TreeMap::new, Collectors.toList()));
        long sum = 0;
        Map<Integer, TreeSet<Integer>> shardsOfPartition = new TreeMap<>();
        for (Map.Entry<Integer, List<Holding>> shard : byShard.entrySet()) {
            List<Holding> replicas = shard.getValue();
            for (Holding h : replicas) {
                if (h.distinctIds() != h.rows()) {
                    p.add(String.format(Locale.ROOT, "shard %d replica %d holds %d rows but %d distinct ids",
                            h.shard(), h.replica(), h.rows(), h.distinctIds()));
                }
                if (h.rows() != replicas.get(0).rows()) {
                    p.add(String.format(Locale.ROOT, "shard %d: replica %d holds %d rows, replica %d holds %d", shard.getKey(),
                            replicas.get(0).replica(), replicas.get(0).rows(), h.replica(), h.rows()));
                }
                h.partitions().forEach(part -> shardsOfPartition.computeIfAbsent(part, k -> new TreeSet<>()).add(h.shard()));
            }
            sum += replicas.get(0).rows();
        }
        if (sum != stored) {
            p.add(String.format(Locale.ROOT, "the shards hold %d rows together but the Distributed tables count %d", sum, stored));
        }
        shardsOfPartition.forEach((part, shards) -> {
            if (shards.size() > 1) {
                p.add("rows of kafka partition " + part + " are on shards " + shards + " (one shard per partition expected)");
            }
        });
        return p;
    }
}
