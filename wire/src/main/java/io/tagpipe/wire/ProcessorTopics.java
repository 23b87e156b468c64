package io.tagpipe.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.tagpipe.wire.policy.Importance;

/**
 * The topics the processor uses; {@link #defaults()} are the names of {@link Topics}. Kept records
 * go to one lane topic per importance ({@link #lane}): {@code kept} itself is the {@code normal}
 * lane, the others are {@code kept} + {@code .critical}, {@code .high}, {@code .low}.
 */
public record ProcessorTopics(String records, String kept, String policies, String stats, String dlq,
                              String pressure, String shed) {

    public ProcessorTopics {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(kept, "kept");
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(dlq, "dlq");
        Objects.requireNonNull(pressure, "pressure");
        Objects.requireNonNull(shed, "shed");
    }

    public static ProcessorTopics defaults() {
        return new ProcessorTopics(Topics.RECORDS, Topics.KEPT, Topics.POLICIES, Topics.STATS, Topics.DLQ,
                Topics.PRESSURE, Topics.SHED);
    }

    /** The same topics with {@code prefix} in front of each name (tests and side-by-side setups). */
    public static ProcessorTopics prefixed(String prefix) {
        ProcessorTopics d = defaults();
        return new ProcessorTopics(prefix + d.records, prefix + d.kept, prefix + d.policies, prefix + d.stats,
                prefix + d.dlq, prefix + d.pressure, prefix + d.shed);
    }

    /** The kept-records topic of an importance; {@code drop} has none. */
    public String lane(Importance importance) {
        return switch (importance) {
            case CRITICAL, HIGH, LOW -> kept + "." + importance.label();
            case NORMAL -> kept;
            case DROP -> throw new IllegalArgumentException("importance drop keeps nothing, it has no lane");
        };
    }

    /** The lane topics, highest importance first: the order a sink drains them in. */
    public List<String> lanes() {
        return List.of(lane(Importance.CRITICAL), lane(Importance.HIGH), lane(Importance.NORMAL), lane(Importance.LOW));
    }

    public List<String> all() {
        List<String> all = new ArrayList<>(List.of(records, policies, stats, dlq, pressure, shed));
        all.addAll(1, lanes());
        return List.copyOf(all);
    }
}
