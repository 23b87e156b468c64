package io.tagpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.tagpipe.admin.ops.Health;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class ProcessorHealthTest {

    @Test
    void runningWithLiveThreadsIsAliveAndReady() {
        Health h = ProcessorHealth.of(State.RUNNING, List.of("RUNNING", "RUNNING"));
        assertThat(h.alive()).isTrue();
        assertThat(h.ready()).isTrue();
        assertThat(h.detail()).contains("RUNNING", "2 stream threads");
    }

    @Test
    void rebalancingIsAliveButNotReady() {
        Health h = ProcessorHealth.of(State.REBALANCING, List.of("PARTITIONS_ASSIGNED"));
        assertThat(h.alive()).isTrue();
        assertThat(h.ready()).isFalse();
    }

    @Test
    void createdIsAliveButNotReady() {
        Health h = ProcessorHealth.of(State.CREATED, List.of("CREATED"));
        assertThat(h.alive()).isTrue();
        assertThat(h.ready()).isFalse();
    }

    @Test
    void aDeadStreamThreadMeansNotAlive() {
        Health h = ProcessorHealth.of(State.RUNNING, List.of("RUNNING", "DEAD"));
        assertThat(h.alive()).isFalse();
        assertThat(h.ready()).isFalse();
        assertThat(h.detail()).contains("1 of 2 stream threads dead");
    }

    @Test
    void failedOrStoppedInstanceIsNotAlive() {
        for (State s : List.of(State.ERROR, State.PENDING_ERROR, State.NOT_RUNNING, State.PENDING_SHUTDOWN)) {
            Health h = ProcessorHealth.of(s, List.of());
            assertThat(h.alive()).as(s.name()).isFalse();
            assertThat(h.detail()).contains(s.name());
        }
    }
}
