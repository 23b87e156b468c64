package io.tagpipe.dev.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClusterHoldingsTest {
    private static ClusterHoldings.Holding at(int shard, int replica, long rows, long distinct, Integer... partitions) {
        return new ClusterHoldings.Holding(shard, replica, "http://127.0.0.1:" + (8000 + shard * 10 + replica), rows, distinct,
                List.of(partitions));
    }

    @Test
    void passesWhenReplicasAgreeShardsAddUpAndEachPartitionHasOneShard() {
        List<ClusterHoldings.Holding> h = List.of(at(1, 1, 70, 70, 0, 2), at(1, 2, 70, 70, 0, 2), at(2, 1, 30, 30, 1, 3),
                at(2, 2, 30, 30, 1, 3));
        assertThat(ClusterHoldings.problems(h, 100)).isEmpty();
    }

    @Test
    void namesAReplicaThatLacksRowsItsShardHas() {
        List<ClusterHoldings.Holding> h = List.of(at(1, 1, 70, 70, 0), at(1, 2, 69, 69, 0));
        assertThat(ClusterHoldings.problems(h, 70)).containsExactly("shard 1: replica 1 holds 70 rows, replica 2 holds 69");
    }

    @Test
    void namesAServerHoldingAnIdTwice() {
        List<ClusterHoldings.Holding> h = List.of(at(1, 1, 71, 70, 0), at(2, 1, 30, 30, 1));
        assertThat(ClusterHoldings.problems(h, 101)).containsExactly("shard 1 replica 1 holds 71 rows but 70 distinct ids");
    }

    @Test
    void namesShardsThatDoNotAddUpToTheDistributedCount() {
        List<ClusterHoldings.Holding> h = List.of(at(1, 1, 70, 70, 0), at(2, 1, 30, 30, 1));
        assertThat(ClusterHoldings.problems(h, 99))
                .containsExactly("the shards hold 100 rows together but the Distributed tables count 99");
    }

    @Test
    void namesAKafkaPartitionSpreadOverTwoShards() {
        List<ClusterHoldings.Holding> h = List.of(at(1, 1, 70, 70, 0, 1), at(2, 1, 30, 30, 1));
        assertThat(ClusterHoldings.problems(h, 100))
                .containsExactly("rows of kafka partition 1 are on shards [1, 2] (one shard per partition expected)");
    }
}
