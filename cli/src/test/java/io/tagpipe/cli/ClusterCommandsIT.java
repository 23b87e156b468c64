package io.tagpipe.cli;

import static io.tagpipe.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tagpipe.sink.ClickHouseStore;
import io.tagpipe.sink.Layout;
import io.tagpipe.testkit.ClickHouseCluster;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.testkit.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tagpipe report}, {@code purge} and {@code retention run} with {@code --clickhouse-cluster} over two
 * shards (18.16 + ZooKeeper), tables from the sink's schema code, each shard's rows in its own local tables.
 */
@ExtendWith(RealServices.class)
class ClusterCommandsIT {

    @Test
    void reportSumsAndPurgeAndRetentionActOnEveryShard(ZooKeeper zk, @TempDir Path dir) throws Exception {
        try (ClickHouseCluster cluster = ClickHouseCluster.start(dir, zk, "tp_commands", 2, 1)) {
            String db = RealServices.unique("commands");
            ClickHouseCluster.Node shard1 = cluster.node(1, 1);
            ClickHouseCluster.Node shard2 = cluster.node(2, 1);
            try (ClickHouseStore store = new ClickHouseStore(shard1.url(), "default", "", db, Duration.ofSeconds(60),
                    Layout.cluster(cluster.name(), Layout.DEFAULT_ZOOKEEPER_PATH))) {
                store.ensureSchema();
            }
            long now = Instant.now().toEpochMilli();
            long expired = now - Duration.ofDays(10).toMillis();
            // billing: 2 + 3 rows stored, 2 + 3 kept and 4 sampled counted; audit: one row per shard, 10 days old, 7 days kept
            for (int i = 0; i < 2; i++) {
                ReportCommandIT.insertLog(shard1.server(), db + ".logs_local", "billing", now - i, 1, 7, "high");
            }
            for (int i = 0; i < 3; i++) {
                ReportCommandIT.insertLog(shard2.server(), db + ".logs_local", "billing", now - 10 - i, 1, 7, "high");
            }
            for (ClickHouseCluster.Node shard : cluster.nodes()) {
                ReportCommandIT.insertLog(shard.server(), db + ".logs_local", "audit", expired, 1, 7, "normal");
            }
            ReportCommandIT.insertStats(shard1.server(), db + ".ingest_stats_local", "billing", "kept", 2, now);
            ReportCommandIT.insertStats(shard2.server(), db + ".ingest_stats_local", "billing", "kept", 3, now);
            ReportCommandIT.insertStats(shard2.server(), db + ".ingest_stats_local", "billing", "sampled", 4, now);
            String[] connection = {"--clickhouse-url", shard1.url(), "--database", db, "--clickhouse-cluster", cluster.name()};

            JsonNode billing = billingReport(connection);
            assertThat(billing.get("stored").asLong()).isEqualTo(5);
            assertThat(billing.get("received").asLong()).isEqualTo(9);
            assertThat(billing.get("kept").asLong()).isEqualTo(5);
            assertThat(billing.get("partitions").asInt()).isEqualTo(1);
            String today = "SELECT sum(bytes_on_disk) FROM system.parts WHERE active AND database = '" + db
                    + "' AND table = 'logs_local' AND partition_id = concat('7-', toString(toYYYYMMDD(now())))";
            assertThat(billing.get("bytes_on_disk").asLong())
                    .isEqualTo(shard1.server().queryLong(today) + shard2.server().queryLong(today));

            assertThat(run(concat(new String[] {"purge", "billing", "--yes"}, connection))).startsWith("0\n");
            for (ClickHouseCluster.Node shard : cluster.nodes()) {
                assertThat(shard.server().query("SELECT app, count() FROM " + db + ".logs_local GROUP BY app").strip())
                        .as(shard.toString()).isEqualTo("audit\t1");
                assertThat(shard.server().queryLong("SELECT count() FROM " + db + ".ingest_stats_local")).isZero();
            }

            for (ClickHouseCluster.Node shard : cluster.nodes()) {
                ReportCommandIT.insertLog(shard.server(), db + ".logs_local", "fresh", now, 1, 7, "normal");
            }
            assertThat(run(concat(new String[] {"retention", "run"}, connection))).startsWith("0\n");
            for (ClickHouseCluster.Node shard : cluster.nodes()) {
                // the expired partition is gone from every shard, today's stays
                assertThat(shard.server().query("SELECT app, count() FROM " + db + ".logs_local GROUP BY app").strip())
                        .as(shard.toString()).isEqualTo("fresh\t1");
            }
        }
    }

    private static JsonNode billingReport(String[] connection) throws Exception {
        String result = run(concat(new String[] {"report", "--app", "billing", "--format", "json"}, connection));
        assertThat(result).startsWith("0\n");
        JsonNode billing = new ObjectMapper().readTree(result.substring(2)).get(0);
        assertThat(billing.get("app").asText()).isEqualTo("billing");
        return billing;
    }

    private static String[] concat(String[] a, String[] b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }
}
