package io.tagpipe.dev.demo;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.tagpipe.wire.StatsRecord;
import io.tagpipe.wire.UnreadableRecordException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the stats topic from the beginning (committed transactions only) into a {@link StatsTally}. */
final class StatsFollower implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final StatsTally tally;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;

    StatsFollower(String bootstrap, String topic, StatsTally tally, Clock clock) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.tally = tally;
        this.clock = clock;
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::loop, "tagpipe-demo-stats");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        tally.add(StatsRecord.decode(r.value()), clock.millis());
                    } catch (UnreadableRecordException e) {
                        // the processor writes these lines itself; a bad one is not worth stopping the demo
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
