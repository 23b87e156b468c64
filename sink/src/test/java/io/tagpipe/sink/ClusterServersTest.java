package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class ClusterServersTest {
    private static String[] row(String host, int port, int shard) {
        return new String[] {host, Integer.toString(port), Integer.toString(shard)};
    }

    @Test
    void everyReplicaIsReadAndTheQuorumIsTheSmallestShardsReplicaCount() {
        ClusterServers c = ClusterServers.of("prod", List.of(row("ch-0-0", 9000, 1), row("ch-0-1", 9000, 1),
                row("ch-1-0", 9000, 2), row("ch-1-1", 9000, 2), row("ch-1-2", 9000, 2)));

        assertThat(c.quorum()).isEqualTo(2);
        assertThat(c.remote("tagpipe", "logs_local", "sink", "it's"))
                .isEqualTo("remote('ch-0-0:9000,ch-0-1:9000,ch-1-0:9000,ch-1-1:9000,ch-1-2:9000', 'tagpipe', 'logs_local', "
                        + "'sink', 'it\\'s')");
        assertThat(c.insertSettings(Duration.ofSeconds(30)).getAllSettings().toString())
                .contains("insert_distributed_sync=1", "insert_quorum=2", "insert_quorum_timeout=30000");
    }

    @Test
    void oneReplicaPerShardNeedsNoQuorum() {
        ClusterServers c = ClusterServers.of("prod", List.of(row("a", 9000, 1), row("b", 9000, 2)));

        assertThat(c.quorum()).isEqualTo(1);
        assertThat(c.insertSettings(Duration.ofSeconds(30)).getAllSettings().toString())
                .contains("insert_distributed_sync=1").doesNotContain("insert_quorum");
    }

    @Test
    void aClusterTheServersDoNotKnowIsANamedError() {
        assertThatThrownBy(() -> ClusterServers.of("prdo", List.of()))
                .hasMessageContaining("no cluster 'prdo'").hasMessageContaining("--clickhouse-cluster");
    }
}
