package io.tagpipe.processor;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

import io.tagpipe.admin.ops.Health;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Health of a processor instance from its Kafka Streams state and its stream threads' states:
 * alive while created, rebalancing or running with no dead stream thread (a failed thread that was
 * replaced is gone from the list); ready only while RUNNING (global stores loaded, tasks assigned).
 */
final class ProcessorHealth {
    private static final Set<KafkaStreams.State> ALIVE = EnumSet.of(KafkaStreams.State.CREATED,
            KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);

    private ProcessorHealth() {
    }

    /** @param threadStates the state names of this instance's stream threads ({@code ThreadMetadata#threadState}) */
    static Health of(KafkaStreams.State state, Collection<String> threadStates) {
        long dead = threadStates.stream().filter("DEAD"::equals).count();
        if (!ALIVE.contains(state)) {
            return new Health(false, false, "streams state " + state);
        }
        if (dead > 0) {
            return new Health(false, false, dead + " of " + threadStates.size() + " stream threads dead (state " + state + ")");
        }
        boolean ready = state == KafkaStreams.State.RUNNING;
        return new Health(true, ready, "streams state " + state + ", " + threadStates.size() + " stream threads");
    }
}
