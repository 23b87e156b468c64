package io.tagpipe.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tagpipe demo --cluster 2x2}, short: its own broker, ZooKeeper and four clickhouse-server
 * 18.16 processes (2 shards × 2 replicas), sample apps as real processes; the demo's end check
 * passes over the cluster and what it prints per server fits the sink's layout.
 */
class DemoClusterIT {
    private static final Pattern HOLDING = Pattern.compile(
            "  shard (\\d+) replica (\\d+) \\((\\S+)\\): (\\d+) rows, (\\d+) distinct ids, from kafka partitions \\[(.*)]");
    private static final Pattern SUMMARY = Pattern.compile("processor: kept (\\d+), .* in ClickHouse (\\d+) rows");

    record Held(int shard, int replica, long rows, long distinct, List<String> partitions) {
    }

    @Test
    void clusterDemoPassesItsEndCheckWithEveryShardHoldingItsPartitionsOnEveryReplica(@TempDir Path work) {
        DemoRun run = DemoRun.of("--cluster", "2x2", "--duration", "12", "--no-python", "--work-dir", work.toString(),
                "--progress-interval", "4");

        String text = run.output();
        assertThat(run.exitCode()).as(text).isZero();
        assertThat(text).contains("end check passed", "overload phase skipped", "--clickhouse-cluster tagpipe_demo");
        Matcher summary = SUMMARY.matcher(text);
        assertThat(summary.find()).as(text).isTrue();
        long kept = Long.parseLong(summary.group(1));
        long stored = Long.parseLong(summary.group(2));
        assertThat(stored).isPositive().isEqualTo(kept);

        List<Held> held = new ArrayList<>();
        Matcher m = HOLDING.matcher(text);
        while (m.find()) {
            held.add(new Held(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Long.parseLong(m.group(4)),
                    Long.parseLong(m.group(5)), List.of(m.group(6).split(", "))));
        }
        assertThat(held).as(text).extracting(h -> h.shard() + "/" + h.replica()).containsExactly("1/1", "1/2", "2/1", "2/2");
        Map<Integer, Long> rowsOfShard = new HashMap<>();
        Set<String> partitionsSeen = new HashSet<>();
        for (Held h : held) {
            assertThat(h.rows()).as("shard %d replica %d holds rows, each once", h.shard(), h.replica()).isPositive()
                    .isEqualTo(h.distinct());
            Long before = rowsOfShard.putIfAbsent(h.shard(), h.rows());
            if (before == null) {
                assertThat(java.util.Collections.disjoint(h.partitions(), partitionsSeen))
                        .as("a Kafka partition's rows live on one shard: %s vs %s", h.partitions(), partitionsSeen).isTrue();
                partitionsSeen.addAll(h.partitions());
            } else {
                assertThat(h.rows()).as("replicas of shard %d hold the same rows", h.shard()).isEqualTo(before);
                assertThat(h.partitions()).isEqualTo(held.get(held.indexOf(h) - 1).partitions());
            }
        }
        assertThat(rowsOfShard.values().stream().mapToLong(Long::longValue).sum()).as("the shards add up to what was stored")
                .isEqualTo(stored);
    }
}
