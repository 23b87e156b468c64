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
    private Set<TopicPartition> held = Set.of();

    LaneGating(Consumer<byte[], byte[]> consumer, LaneGate gate, Clock clock) {
        this.consumer = consumer;
        this.gate = gate;
        this.lanes = Set.copyOf(gate.lanes());
        this.clock = clock;
    }

    /** Pauses and resumes lane partitions as the gate says; true when a partition it held is released. */
    boolean apply() {
        Map<TopicPartition, OptionalLong> reported = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (lanes.contains(tp.topic())) {
                reported.put(tp, consumer.currentLag(tp));
            }
        }
        return hold(gate.toPause(lags.lags(reported, clock.millis())), "lanes: holding {}");
    }

    /** More than one lane: there is a top lane to favour. */
    boolean ordered() {
        return gate.lanes().size() > 1;
    }

    /**
     * Holds every assigned lane partition but the top lane's: while a full batch waits for the insert
     * in flight, what the top lane brings still joins that batch instead of the one after it. The next
     * {@link #apply()} releases them again (and reports the lanes as opened).
     */
    void topLaneOnly() {
        String top = gate.lanes().get(0);
        Set<TopicPartition> hold = new HashSet<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (lanes.contains(tp.topic()) && !tp.topic().equals(top)) {
                hold.add(tp);
            }
        }
        hold(hold, "lanes: a full batch waits for the insert in flight, holding {}");
    }

    /** Pauses {@code hold} and resumes every other assigned lane partition; true when a partition held before is released. */
    private boolean hold(Set<TopicPartition> hold, String logFormat) {
        Set<TopicPartition> release = new HashSet<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (lanes.contains(tp.topic()) && !hold.contains(tp)) {
                release.add(tp);
            }
        }
        consumer.pause(hold);
        consumer.resume(release);
        boolean opened = release.stream().anyMatch(held::contains);
        if (!hold.equals(held)) {
            log.debug(logFormat, hold);
        }
        held = hold;
        return opened;
    }
}
