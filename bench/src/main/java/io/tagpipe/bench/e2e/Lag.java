package io.tagpipe.bench.e2e;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** Records of {@code topic} a consumer group has not committed yet: shows which stage falls behind. */
public final class Lag {
    private Lag() {
    }

    static long of(String bootstrap, String group, String topic) {
        return of(bootstrap, group, java.util.List.of(topic));
    }

    /** Summed over {@code topics} (e.g. a sink's lanes); -1 when unknown. */
    public static long of(String bootstrap, String group, java.util.List<String> topics) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            long sum = 0;
            for (String topic : topics) {
                sum += of(admin, group, topic);
            }
            return sum;
        } catch (Exception e) {
            return -1; // unknown: reported as such, the figure is informative only
        }
    }

    private static long of(Admin admin, String group, String topic) throws Exception {
        int partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = java.util.stream.IntStream.range(0, partitions).boxed()
                .collect(Collectors.toMap(i -> new TopicPartition(topic, i), i -> OffsetSpec.latest()));
        long end = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(r -> r.offset()).sum();
        long committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
        return end - committed;
    }
}
