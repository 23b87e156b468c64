package io.tagpipe.sink;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link LaneGate} to the consumer: reads each assigned lane partition's lag (the
 * consumer's own figure, no broker call), pauses what the gate holds and resumes the rest. Only
 * for use while nothing else is paused (the runner's ClickHouse-trouble pause takes precedence).
 * Used by the consumer thread only.
 */
final class LaneGating {
    private static final Logger log = LoggerFactory.getLogger(LaneGating.class);

    private final Consumer<byte[], byte[]> consumer;
    private final LaneGate gate;
    private final Set<String> lanes;
    private final Clock clock;
    private final LaneGate.Observed lags = new LaneGate.Observed();
    /** What the gate itself held at the last {@link #apply()}. */
    private Set<TopicPartition> gateHeld = Set.of();
    /** What is paused now (the gate's hold or {@link #topLaneOnly()}'s). */
    private Set<TopicPartition> paused = Set.of();

    LaneGating(Consumer<byte[], byte[]> consumer, LaneGate gate, Clock clock) {
        this.consumer = consumer;
        this.gate = gate;
        this.lanes = Set.copyOf(gate.lanes());
        this.clock = clock;
    }

    /**
     * Pauses and resumes lane partitions as the gate says; true when a partition the gate held before is
     * released (a hold of {@link #topLaneOnly()} in between does not count: it was not the gate's).
     */
    boolean apply() {
        Map<TopicPartition, OptionalLong> reported = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (lanes.contains(tp.topic())) {
                reported.put(tp, consumer.currentLag(tp));
            }
        }
        Set<TopicPartition> hold = gate.toPause(lags.lags(reported, clock.millis()));
        Set<TopicPartition> release = pauseOnly(hold, "lanes: holding {}");
        boolean opened = release.stream().anyMatch(gateHeld::contains);
        gateHeld = hold;
        return opened;
    }

    /** More than one lane: there is a top lane to favour. */
    boolean ordered() {
        return gate.lanes().size() > 1;
    }

    /** The highest lane's topic. */
    String topLane() {
        return gate.lanes().get(0);
    }

    /**
     * Holds every assigned lane partition but the top lane's: while the batch of the lower lanes waits
     * for an insert, the top lane is still read (into its own batch). The next {@link #apply()} releases
     * what the gate does not hold.
     */
    void topLaneOnly() {
        String top = topLane();
        Set<TopicPartition> hold = new HashSet<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (lanes.contains(tp.topic()) && !tp.topic().equals(top)) {
                hold.add(tp);
            }
        }
        pauseOnly(hold, "lanes: the lower lanes' batch waits for an insert, holding {}");
    }

    /** Pauses {@code hold} and resumes every other assigned lane partition; returns those resumed. */
    private Set<TopicPartition> pauseOnly(Set<TopicPartition> hold, String logFormat) {
        Set<TopicPartition> release = new HashSet<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (lanes.contains(tp.topic()) && !hold.contains(tp)) {
                release.add(tp);
            }
        }
        consumer.pause(hold);
        consumer.resume(release);
        if (!hold.equals(paused)) {
            log.debug(logFormat, hold);
        }
        paused = hold;
        return release;
    }
}
