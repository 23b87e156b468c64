package io.tagpipe.sink;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions to hold back so higher lanes drain first: while any assigned partition of a lane
 * has backlog, every assigned partition of each lower lane is paused. Topics that are not lanes
 * (the stats topic) are never held. A partition whose lag is unknown (not fetched yet since its
 * assignment) counts as backlog, but only for {@code unknownCountsFor}: a missing figure must not
 * starve the lanes below forever. Pure: the caller observes the lags ({@link Observed}) and applies
 * the answer.
 */
final class LaneGate {
    /** A partition's lag: records behind the log end, or unknown for {@code unknownForMs}. */
    record Lag(OptionalLong records, long unknownForMs) {
        static Lag of(long records) {
            return new Lag(OptionalLong.of(records), 0);
        }

        static Lag unknownFor(long ms) {
            return new Lag(OptionalLong.empty(), ms);
        }
    }

    private final List<String> lanes;
    private final long unknownCountsForMs;

    /** @param lanes topics, highest priority first */
    LaneGate(List<String> lanes, Duration unknownCountsFor) {
        if (Set.copyOf(lanes).size() != lanes.size()) {
            throw new IllegalArgumentException("a lane is listed twice: " + lanes);
        }
        this.lanes = List.copyOf(lanes);
        this.unknownCountsForMs = unknownCountsFor.toMillis();
    }

    List<String> lanes() {
        return lanes;
    }

    /** The partitions (of {@code lags}' keys) to pause now; every other one may be consumed. */
    Set<TopicPartition> toPause(Map<TopicPartition, Lag> lags) {
        Set<TopicPartition> pause = new HashSet<>();
        boolean higherHasBacklog = false;
        for (String lane : lanes) {
            boolean backlog = false;
            for (Map.Entry<TopicPartition, Lag> e : lags.entrySet()) {
                if (!e.getKey().topic().equals(lane)) {
                    continue;
                }
                if (higherHasBacklog) {
                    pause.add(e.getKey());
                } else {
                    backlog |= hasBacklog(e.getValue());
                }
            }
            higherHasBacklog |= backlog;
        }
        return pause;
    }

    private boolean hasBacklog(Lag lag) {
        return lag.records().isPresent() ? lag.records().getAsLong() > 0 : lag.unknownForMs() < unknownCountsForMs;
    }

    /** Turns what the consumer reports (a lag, or none yet) into {@link Lag}s, remembering since when each is unknown. */
    static final class Observed {
        private final Map<TopicPartition, Long> unknownSince = new HashMap<>();

        Map<TopicPartition, Lag> lags(Map<TopicPartition, OptionalLong> reported, long nowMs) {
            unknownSince.keySet().retainAll(reported.keySet());
            Map<TopicPartition, Lag> out = new HashMap<>();
            reported.forEach((tp, lag) -> {
                if (lag.isPresent()) {
                    unknownSince.remove(tp);
                    out.put(tp, Lag.of(lag.getAsLong()));
                } else {
                    out.put(tp, Lag.unknownFor(nowMs - unknownSince.computeIfAbsent(tp, k -> nowMs)));
                }
            });
            return out;
        }
    }
}
