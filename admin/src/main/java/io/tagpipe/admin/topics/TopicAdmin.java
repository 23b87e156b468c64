package io.tagpipe.admin.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.wire.ProcessorTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates tagpipe's topics (records, the kept lanes, policies, stats, DLQ, pressure, shed) with the right settings, idempotently: existing topics are left as
 * they are and reported. The policy and pressure topics are compacted with one partition (they are
 * small and every processor reads all of them).
 */
public final class TopicAdmin {
    private final ClientConfig client;
    private final Duration timeout;

    public TopicAdmin(ClientConfig client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** One line per topic: what was done. */
    public record Result(String topic, boolean created, String detail) { }

    public List<Result> createAll(ProcessorTopics topics, int partitions, short replicationFactor) {
        List<NewTopic> wanted = wanted(topics, partitions, replicationFactor);
        List<Result> results = new ArrayList<>();
        try (Admin admin = Admin.create(client.properties())) {
            var outcome = admin.createTopics(wanted).values();
            for (NewTopic t : wanted) {
                results.add(result(t, outcome.get(t.name())));
            }
            awaitLeaders(admin, topics.all());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return results;
    }

    /** What {@link #createAll} asks for: the policy and pressure topics compacted, one partition each. */
    static List<NewTopic> wanted(ProcessorTopics topics, int partitions, short replicationFactor) {
        if (partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("partitions and replication factor must be at least 1");
        }
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        List<NewTopic> wanted = new ArrayList<>();
        wanted.add(new NewTopic(topics.records(), partitions, replicationFactor));
        topics.lanes().forEach(lane -> wanted.add(new NewTopic(lane, partitions, replicationFactor)));
        wanted.add(new NewTopic(topics.policies(), 1, replicationFactor).configs(compacted));
        wanted.add(new NewTopic(topics.stats(), partitions, replicationFactor));
        wanted.add(new NewTopic(topics.dlq(), partitions, replicationFactor));
        wanted.add(new NewTopic(topics.pressure(), 1, replicationFactor).configs(compacted));
        wanted.add(new NewTopic(topics.shed(), partitions, replicationFactor));
        return List.copyOf(wanted);
    }

    private Result result(NewTopic t, org.apache.kafka.common.KafkaFuture<Void> f) throws InterruptedException {
        String settings = t.numPartitions() + " partitions, replication " + t.replicationFactor()
                + (t.configs() == null || t.configs().isEmpty() ? "" : ", " + t.configs());
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(t.name(), true, "created (" + settings + ")");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return new Result(t.name(), false, "exists (left unchanged)");
            }
            throw new IllegalStateException("cannot create topic " + t.name() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topic " + t.name() + " timed out after " + timeout, e);
        }
    }

    /** Producing right after creation can lose records until leaders are elected (KAFKA-15591). */
    private void awaitLeaders(Admin admin, List<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (d.values().stream().allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null))) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // metadata not propagated yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("partitions of " + names + " have no leader after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /** Which of the topics exist now. */
    public Set<String> existing(List<String> names) {
        try (Admin admin = Admin.create(client.properties())) {
            Set<String> all = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Set.copyOf(names.stream().filter(all::contains).toList());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
