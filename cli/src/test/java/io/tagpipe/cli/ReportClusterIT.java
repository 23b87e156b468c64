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

/** {@code tagpipe report --clickhouse-cluster} over two shards (18.16 + ZooKeeper), tables from the sink's schema code. */
@ExtendWith(RealServices.class)
class ReportClusterIT {

    @Test
    void reportSumsRowsStatsAndBytesOverEveryShard(ZooKeeper zk, @TempDir Path dir) throws Exception {
        try (ClickHouseCluster cluster = ClickHouseCluster.start(dir, zk, "tp_report", 2, 1)) {
            String db = RealServices.unique("report");
            ClickHouseCluster.Node shard1 = cluster.node(1, 1);
            ClickHouseCluster.Node shard2 = cluster.node(2, 1);
            try (ClickHouseStore store = new ClickHouseStore(shard1.url(), "default", "", db, Duration.ofSeconds(60),
                    Layout.cluster(cluster.name(), Layout.DEFAULT_ZOOKEEPER_PATH))) {
                store.ensureSchema();
            }
            long now = Instant.now().toEpochMilli();
            // each shard's own rows, in its local tables: 2 + 3 stored, 2 + 3 kept and 4 sampled counted
            for (int i = 0; i < 2; i++) {
                ReportCommandIT.insertLog(shard1.server(), db + ".logs_local", "billing", now - i, 1, 7, "high");
            }
            for (int i = 0; i < 3; i++) {
                ReportCommandIT.insertLog(shard2.server(), db + ".logs_local", "billing", now - 10 - i, 1, 7, "high");
            }
            ReportCommandIT.insertStats(shard1.server(), db + ".ingest_stats_local", "billing", "kept", 2, now);
            ReportCommandIT.insertStats(shard2.server(), db + ".ingest_stats_local", "billing", "kept", 3, now);
            ReportCommandIT.insertStats(shard2.server(), db + ".ingest_stats_local", "billing", "sampled", 4, now);

            String result = run("report", "--clickhouse-url", shard1.url(), "--database", db,
                    "--clickhouse-cluster", cluster.name(), "--format", "json");
            assertThat(result).startsWith("0\n");
            JsonNode billing = new ObjectMapper().readTree(result.substring(2)).get(0);

            assertThat(billing.get("app").asText()).isEqualTo("billing");
            assertThat(billing.get("stored").asLong()).isEqualTo(5);
            assertThat(billing.get("received").asLong()).isEqualTo(9);
            assertThat(billing.get("kept").asLong()).isEqualTo(5);
            assertThat(billing.get("partitions").asInt()).isEqualTo(1);
            long bothShards = shard1.server().queryLong("SELECT sum(bytes_on_disk) FROM system.parts WHERE active AND database = '"
                    + db + "' AND table = 'logs_local'") + shard2.server().queryLong("SELECT sum(bytes_on_disk) FROM system.parts "
                    + "WHERE active AND database = '" + db + "' AND table = 'logs_local'");
            assertThat(billing.get("bytes_on_disk").asLong()).isEqualTo(bothShards);
        }
    }
}
