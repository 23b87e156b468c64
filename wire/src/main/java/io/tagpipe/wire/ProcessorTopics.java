package io.tagpipe.wire;

import java.util.List;
import java.util.Objects;

import io.tagpipe.wire.Topics;

/** The six topics the processor uses; {@link #defaults()} are the names of {@link Topics}. */
public record ProcessorTopics(String records, String kept, String policies, String stats, String dlq,
                              String pressure) {

    public ProcessorTopics {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(kept, "kept");
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(dlq, "dlq");
        Objects.requireNonNull(pressure, "pressure");
    }

    public static ProcessorTopics defaults() {
        return new ProcessorTopics(Topics.RECORDS, Topics.KEPT, Topics.POLICIES, Topics.STATS, Topics.DLQ,
                Topics.PRESSURE);
    }

    /** The same six topics with {@code prefix} in front of each name (tests and side-by-side setups). */
    public static ProcessorTopics prefixed(String prefix) {
        ProcessorTopics d = defaults();
        return new ProcessorTopics(prefix + d.records, prefix + d.kept, prefix + d.policies, prefix + d.stats,
                prefix + d.dlq, prefix + d.pressure);
    }

    public List<String> all() {
        return List.of(records, kept, policies, stats, dlq, pressure);
    }
}
