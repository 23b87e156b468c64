package io.tagpipe.cli.replay;

import java.util.List;
import java.util.Map;

import io.tagpipe.wire.StatsRecord;
import org.apache.kafka.common.TopicPartition;

/** Delivers replayed records and their {@code replayed} counts together, all or nothing. */
public interface ReplayWriter extends AutoCloseable {
    /** @return per partition written to, the offset of the last record written there */
    Map<TopicPartition, Long> write(List<ReplayPlan.Replayable> records, List<StatsRecord> stats);

    @Override
    void close();
}
