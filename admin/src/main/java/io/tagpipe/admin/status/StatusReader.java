package io.tagpipe.admin.status;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.status.PipelineStatus.GroupLag;
import io.tagpipe.admin.status.PipelineStatus.SinkLevel;
import io.tagpipe.admin.status.PipelineStatus.TopicLag;
import io.tagpipe.admin.status.PipelineStatus.TopicSize;
import io.tagpipe.admin.topics.TopicTail;
import io.tagpipe.wire.Pressure;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.UnreadableRecordException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads {@link PipelineStatus} from Kafka alone, within one deadline: the pressure topic to its end
 * (the last record per sink), and with the admin client the topics, their start and end offsets, and
 * the sink's and the processor's committed offsets and members. Commits nothing, joins no group.
 */
public final class StatusReader {
    /** Which topics and groups to look at. */
    public record Target(ProcessorTopics topics, String sinkGroup, String processorGroup) {
    }

    private final ClientConfig client;
    private final Duration timeout;
    private final Clock clock;

    public StatusReader(ClientConfig client, Duration timeout, Clock clock) {
        this.client = client;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** @throws TimeoutException when Kafka does not answer within the timeout */
    public PipelineStatus read(Target t) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties p = client.properties();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Admin admin = Admin.create(p);
        try {
            ProcessorTopics topics = t.topics();
            Set<String> existing = get(admin.listTopics().names(), deadline);
            List<String> watched = new ArrayList<>(topics.lanes());
            watched.addAll(List.of(topics.records(), topics.dlq(), topics.shed()));
            Offsets offsets = offsets(admin, watched.stream().filter(existing::contains).toList(), deadline);
            GroupLag sink = group(admin, t.sinkGroup(), topics.lanes(), offsets, deadline);
            GroupLag processor = group(admin, t.processorGroup(), List.of(topics.records()), offsets, deadline);
            boolean pressureExists = existing.contains(topics.pressure());
            List<SinkLevel> sinks = pressureExists ? sinks(topics.pressure(), deadline) : List.of();
            return new PipelineStatus(clock.millis(), topics.pressure(), pressureExists, sinks, sink, processor,
                    offsets.size(topics.dlq()), offsets.size(topics.shed()));
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private List<SinkLevel> sinks(String topic, long deadline) {
        TopicTail tail = new TopicTail(client, remaining(deadline));
        List<SinkLevel> out = new ArrayList<>();
        tail.latestPerKey(topic).forEach((key, line) -> {
            try {
                out.add(new SinkLevel(key, Pressure.decode(line.value().getBytes(StandardCharsets.UTF_8)), null));
            } catch (UnreadableRecordException e) {
                out.add(new SinkLevel(key, null, e.getMessage()));
            }
        });
        return out;
    }

    /** Start and end offsets of every partition of the topics. */
    private record Offsets(Map<String, List<TopicPartition>> partitions, Map<TopicPartition, Long> start,
                           Map<TopicPartition, Long> end) {
        TopicSize size(String topic) {
            List<TopicPartition> parts = partitions.get(topic);
            if (parts == null) {
                return new TopicSize(topic, false, 0);
            }
            return new TopicSize(topic, true, parts.stream().mapToLong(tp -> end.get(tp) - start.get(tp)).sum());
        }
    }

    private Offsets offsets(Admin admin, List<String> topics, long deadline) {
        Map<String, List<TopicPartition>> partitions = new HashMap<>();
        if (topics.isEmpty()) {
            return new Offsets(partitions, Map.of(), Map.of());
        }
        get(admin.describeTopics(topics).allTopicNames(), deadline).forEach((name, d) -> partitions.put(name,
                d.partitions().stream().map(i -> new TopicPartition(name, i.partition())).toList()));
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.values().forEach(ps -> ps.forEach(tp -> {
            earliest.put(tp, OffsetSpec.earliest());
            latest.put(tp, OffsetSpec.latest());
        }));
        Map<TopicPartition, Long> start = new HashMap<>();
        Map<TopicPartition, Long> end = new HashMap<>();
        get(admin.listOffsets(earliest).all(), deadline).forEach((tp, i) -> start.put(tp, i.offset()));
        get(admin.listOffsets(latest).all(), deadline).forEach((tp, i) -> end.put(tp, i.offset()));
        return new Offsets(partitions, start, end);
    }

    private GroupLag group(Admin admin, String group, List<String> topics, Offsets offsets, long deadline) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        String state;
        int members;
        try {
            committed = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), deadline);
            ConsumerGroupDescription d = get(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group), deadline);
            state = d.groupState().toString();
            members = d.members().size();
        } catch (GroupIdNotFoundException e) {
            committed = Map.of();
            state = "none";
            members = 0;
        }
        List<TopicLag> lags = new ArrayList<>();
        for (String topic : topics) {
            List<TopicPartition> parts = offsets.partitions().get(topic);
            if (parts == null) {
                lags.add(new TopicLag(topic, false, 0));
                continue;
            }
            long lag = 0;
            for (TopicPartition tp : parts) {
                OffsetAndMetadata c = committed.get(tp);
                long start = offsets.start().get(tp);
                // a committed offset below the start was deleted by retention: the group resumes at the start
                lag += offsets.end().get(tp) - (c == null ? start : Math.max(start, c.offset()));
            }
            lags.add(new TopicLag(topic, true, lag));
        }
        return new GroupLag(group, state, members, lags);
    }

    private static <T> T get(KafkaFuture<T> f, long deadline) {
        try {
            return f.get(Math.max(1, remaining(deadline).toMillis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("no answer within the timeout", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }
}
