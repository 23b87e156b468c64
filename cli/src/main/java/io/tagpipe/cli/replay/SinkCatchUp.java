package io.tagpipe.cli.replay;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.tagpipe.admin.ClientConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until a sink's consumer group has committed past given offsets. The sink commits only after
 * ClickHouse acknowledged the rows, so then the replayed records (and their counts) are stored.
 */
public final class SinkCatchUp {
    private final ClientConfig client;
    private final Consumer<String> progress;

    public SinkCatchUp(ClientConfig client, Consumer<String> progress) {
        this.client = client;
        this.progress = progress;
    }

    /** @param last the offset of the last record written, per partition */
    public void await(String group, Map<TopicPartition, Long> last, Duration timeout) {
        Properties p = client.properties();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(p)) {
            long behind = Long.MAX_VALUE;
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                long now = last.entrySet().stream().filter(e -> {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    return c == null || c.offset() <= e.getValue();
                }).count();
                if (now == 0) {
                    return;
                }
                if (now != behind) {
                    progress.accept("waiting for sink group " + group + ": " + now + " partition(s) not yet consumed "
                            + "past the replay");
                    behind = now;
                }
                if (System.nanoTime() > deadline) {
                    throw new ReplayException("sink group " + group + " has not consumed past the replayed records within "
                            + timeout + " (is --sink-group right, is the sink running?); they are committed in Kafka "
                            + "and will be stored when it does");
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException("interrupted while waiting for the sink", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ReplayException("could not read the offsets of sink group " + group + ": " + e.getMessage(), e);
        }
    }
}
