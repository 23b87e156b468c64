package io.tagpipe.faults;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

import io.tagpipe.testkit.KafkaBroker;

/**
 * The processors' consumer group as the broker sees it: which partitions of the records topic each
 * instance owns. An instance is known by its Streams client id ({@link Pipeline#processorClientId}):
 * its stream threads' consumers are named {@code <client id>-StreamThread-N-consumer}.
 *
 * @param stable     the group is not rebalancing (its assignment is the one being worked on)
 * @param partitions records partitions owned, per member instance (client id; an unknown member by its own id)
 * @param members    consumer members in the group
 */
record ProcessorGroup(boolean stable, Map<String, List<Integer>> partitions, int members) {

    static ProcessorGroup describe(KafkaBroker kafka, String applicationId, String recordsTopic,
                                   Collection<String> instances) {
        try (Admin admin = kafka.admin()) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(applicationId))
                    .describedGroups().get(applicationId).get();
            Map<String, List<Integer>> owned = new TreeMap<>();
            for (MemberDescription m : d.members()) {
                String instance = instances.stream().filter(i -> m.clientId().startsWith(i + "-StreamThread-"))
                        .findFirst().orElse(m.clientId());
                owned.putIfAbsent(instance, List.of());
                m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(recordsTopic))
                        .map(TopicPartition::partition)
                        .forEach(p -> owned.merge(instance, List.of(p), (a, b) -> sorted(a, b)));
            }
            return new ProcessorGroup(d.groupState() == GroupState.STABLE, owned, d.members().size());
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe group " + applicationId, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits (at most {@code bound}) until the group is stable, every one of {@code instances} is in it
     * and {@code victim} owns records partitions; fails the fault if that never happens.
     */
    static ProcessorGroup awaitOwner(KafkaBroker kafka, Pipeline p, String victim, List<String> instances,
                                     Duration bound) {
        return await("processor " + victim + " owns records partitions in a stable group of " + instances)
                .atMost(bound).pollInterval(Duration.ofMillis(250)).pollInSameThread()
                .until(() -> describe(kafka, p.appId, p.topics.records(), instances),
                        g -> g.stable() && g.members() == instances.size()
                                && g.partitions().keySet().containsAll(instances) && !g.owned(victim).isEmpty());
    }

    List<Integer> owned(String instance) {
        return partitions.getOrDefault(instance, List.of());
    }

    private static List<Integer> sorted(List<Integer> a, List<Integer> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).sorted().toList();
    }
}
