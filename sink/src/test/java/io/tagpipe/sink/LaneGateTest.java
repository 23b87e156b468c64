package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import io.tagpipe.sink.LaneGate.Lag;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LaneGateTest {
    private static final TopicPartition CRIT0 = new TopicPartition("kept.critical", 0);
    private static final TopicPartition CRIT1 = new TopicPartition("kept.critical", 1);
    private static final TopicPartition HIGH0 = new TopicPartition("kept.high", 0);
    private static final TopicPartition NORMAL0 = new TopicPartition("kept", 0);
    private static final TopicPartition LOW0 = new TopicPartition("kept.low", 0);
    private static final TopicPartition LOW1 = new TopicPartition("kept.low", 1);
    private static final TopicPartition STATS = new TopicPartition("stats", 0);
    private final LaneGate gate = new LaneGate(List.of("kept.critical", "kept.high", "kept", "kept.low"), Duration.ofSeconds(10));

    @Test
    void everyLaneBelowOneWithLagIsPaused() {
        Map<TopicPartition, Lag> lags = lagging(HIGH0, Lag.of(5), CRIT0, CRIT1, NORMAL0, LOW0, LOW1, STATS);

        assertThat(gate.toPause(lags)).containsExactlyInAnyOrder(NORMAL0, LOW0, LOW1);
    }

    @Test
    void oneLaggingPartitionHoldsBackTheLowerLanesAndNotItsOwnLane() {
        Map<TopicPartition, Lag> lags = lagging(CRIT1, Lag.of(1), CRIT0, HIGH0, NORMAL0, LOW0, LOW1);

        assertThat(gate.toPause(lags)).containsExactlyInAnyOrder(HIGH0, NORMAL0, LOW0, LOW1);
    }

    @Test
    void nothingIsPausedWhenTheHigherLanesAreDrained_evenWithALowBacklog() {
        Map<TopicPartition, Lag> lags = lagging(LOW0, Lag.of(1_000_000), CRIT0, CRIT1, HIGH0, NORMAL0);

        assertThat(gate.toPause(lags)).isEmpty();
    }

    @Test
    void aTopicThatIsNoLaneIsNeverPaused() {
        Map<TopicPartition, Lag> lags = lagging(CRIT0, Lag.of(3), STATS, LOW0);

        assertThat(gate.toPause(lags)).containsExactly(LOW0);
    }

    @Test
    void anUnassignedHigherLaneHoldsNothingBack() {
        assertThat(gate.toPause(lagging(LOW0, Lag.of(9), LOW1))).isEmpty();
    }

    @Test
    void unknownLagCountsAsBacklogOnlyForTheGracePeriod() {
        Map<TopicPartition, Lag> lags = lagging(CRIT0, Lag.unknownFor(9_999), CRIT1, LOW0);
        assertThat(gate.toPause(lags)).containsExactly(LOW0);

        lags.put(CRIT0, Lag.unknownFor(10_000));
        assertThat(gate.toPause(lags)).isEmpty();
    }

    @Test
    void observedRemembersSinceWhenALagIsUnknownAndForgetsItOnceKnownOrUnassigned() {
        LaneGate.Observed observed = new LaneGate.Observed();
        Map<TopicPartition, OptionalLong> reported = new HashMap<>(Map.of(CRIT0, OptionalLong.empty(), LOW0, OptionalLong.of(7)));

        assertThat(observed.lags(reported, 1_000)).containsEntry(CRIT0, Lag.unknownFor(0)).containsEntry(LOW0, Lag.of(7));
        assertThat(observed.lags(reported, 4_000)).containsEntry(CRIT0, Lag.unknownFor(3_000));

        reported.put(CRIT0, OptionalLong.of(0));
        assertThat(observed.lags(reported, 5_000)).containsEntry(CRIT0, Lag.of(0));
        reported.put(CRIT0, OptionalLong.empty()); // sought or reassigned: unknown again, a new grace period
        assertThat(observed.lags(reported, 6_000)).containsEntry(CRIT0, Lag.unknownFor(0));

        observed.lags(Map.of(LOW0, OptionalLong.of(7)), 7_000); // revoked
        assertThat(observed.lags(reported, 20_000)).containsEntry(CRIT0, Lag.unknownFor(0));
    }

    @Test
    void aLaneListedTwiceIsRefused() {
        assertThatThrownBy(() -> new LaneGate(List.of("a", "b", "a"), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    /** {@code tp} with {@code lag}, every one of {@code others} caught up. */
    private static Map<TopicPartition, Lag> lagging(TopicPartition tp, Lag lag, TopicPartition... others) {
        Map<TopicPartition, Lag> m = caughtUp(others);
        m.put(tp, lag);
        return m;
    }

    private static Map<TopicPartition, Lag> caughtUp(TopicPartition... tps) {
        Map<TopicPartition, Lag> m = new HashMap<>();
        for (TopicPartition tp : tps) {
            m.put(tp, Lag.of(0));
        }
        return m;
    }
}
