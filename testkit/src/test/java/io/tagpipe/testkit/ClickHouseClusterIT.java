package io.tagpipe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealServices.class)
class ClickHouseClusterIT {

    @Test
    void twoShardsOfTwoReplicasReplicateShardAndSurviveAKill(ZooKeeper zk, @TempDir Path dir) {
        try (ClickHouseCluster cluster = ClickHouseCluster.start(dir, zk, "testkit_c", 2, 2)) {
            ClickHouseCluster.Node first = cluster.node(1, 1);
            assertThat(first.server().queryLong("SELECT count() FROM system.clusters WHERE cluster = 'testkit_c'"))
                    .isEqualTo(4);
            String db = RealServices.unique("cl");
            first.server().query("CREATE DATABASE " + db + " ON CLUSTER testkit_c");
            first.server().query("CREATE TABLE " + db + ".t_local ON CLUSTER testkit_c (x UInt32) ENGINE = "
                    + "ReplicatedMergeTree('/clickhouse/tables/{shard}/" + db + "/t_local', '{replica}') ORDER BY x");
            first.server().query("CREATE TABLE " + db + ".t ON CLUSTER testkit_c AS " + db + ".t_local "
                    + "ENGINE = Distributed(testkit_c, " + db + ", t_local, x)");

            // rows written on one replica of each shard appear on the other replica of that shard only
            cluster.node(1, 1).server().query("INSERT INTO " + db + ".t_local VALUES (1), (2)");
            cluster.node(2, 2).server().query("INSERT INTO " + db + ".t_local VALUES (30)");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(cluster.node(1, 2).server().queryLong("SELECT sum(x) FROM " + db + ".t_local")).isEqualTo(3);
                assertThat(cluster.node(2, 1).server().queryLong("SELECT sum(x) FROM " + db + ".t_local")).isEqualTo(30);
            });
            assertThat(cluster.node(2, 1).server().queryLong("SELECT sum(x) FROM " + db + ".t")).isEqualTo(33);

            // a replica killed while rows arrive gets them after its restart
            ClickHouseCluster.Node victim = cluster.node(1, 2);
            cluster.kill9(victim);
            assertThat(victim.server().isRunning()).isFalse();
            cluster.node(1, 1).server().query("INSERT INTO " + db + ".t_local VALUES (400)");
            cluster.restart(victim);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(victim.server().queryLong("SELECT sum(x) FROM " + db + ".t_local")).isEqualTo(403));
        }
    }
}
