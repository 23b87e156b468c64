package io.tagpipe.admin.status;

import java.util.List;
import java.util.Objects;

import io.tagpipe.wire.Pressure;

/**
 * What the pipeline is doing, as Kafka shows it at {@code checkedAtMs}: each sink's last pressure
 * record, the sink group's lag per kept lane, the processor's lag on the records topic, and how many
 * records the DLQ and the shed topic hold. Read by {@link StatusReader}; judged and printed by the CLI.
 *
 * @param pressureTopicExists false when the pressure topic is missing ({@code sinks} is empty then)
 */
public record PipelineStatus(long checkedAtMs, String pressureTopic, boolean pressureTopicExists, List<SinkLevel> sinks,
                             GroupLag sinkGroup, GroupLag processor, TopicSize dlq, TopicSize shed) {

    public PipelineStatus {
        sinks = List.copyOf(sinks);
    }

    /**
     * The latest record of one key (a sink's group id) on the pressure topic: decoded, or why it could
     * not be.
     */
    public record SinkLevel(String key, Pressure pressure, String unreadable) {
        public SinkLevel {
            Objects.requireNonNull(key, "key");
            if ((pressure == null) == (unreadable == null)) {
                throw new IllegalArgumentException("a sink level is either a pressure record or the reason it is unreadable");
            }
        }
    }

    /**
     * A consumer group's state and members, and its lag per topic.
     *
     * @param state the group's state as the broker names it ({@code Stable}, {@code Empty} …), {@code none}
     *              when the broker knows no such group
     */
    public record GroupLag(String group, String state, int members, List<TopicLag> topics) {
        public GroupLag {
            topics = List.copyOf(topics);
        }

        /** The lag summed over the topics that exist. */
        public long total() {
            return topics.stream().filter(TopicLag::exists).mapToLong(TopicLag::lag).sum();
        }
    }

    /**
     * Records of {@code topic} the group has not committed yet: per partition, end offset minus the
     * committed offset, or minus the start offset where the group never committed (it starts at the
     * earliest record) or committed below it. An offset count, so a transaction marker after the last
     * committed record counts one.
     */
    public record TopicLag(String topic, boolean exists, long lag) {
    }

    /** Records a topic holds now: end minus start offsets over its partitions. */
    public record TopicSize(String topic, boolean exists, long records) {
    }
}
