package io.tagpipe.bench.overload;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.tagpipe.wire.Pressure;
import io.tagpipe.wire.UnreadableRecordException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Follows one sink's pressure level on the pressure topic (the demo's, the overload bench's), and remembers each change. */
public final class LevelFollower implements AutoCloseable {
    /** A change of level: seconds after {@code origin}, the level, its reasons. */
    public record Change(double atSeconds, int level, List<String> reasons) { }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String source;
    private final Clock clock;
    private final long originMillis;
    private final Thread thread;
    private final List<Change> changes = new ArrayList<>();
    private volatile Pressure current;
    private volatile boolean running = true;

    public LevelFollower(String bootstrap, String topic, String source, Clock clock, long originMillis) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.source = source;
        this.clock = clock;
        this.originMillis = originMillis;
        this.current = Pressure.none(clock.millis(), source);
        TopicPartition tp = new TopicPartition(topic, 0); // the pressure topic has one partition (TopicAdmin)
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        this.thread = new Thread(this::loop, "tagpipe-demo-level");
        thread.setDaemon(true);
        thread.start();
    }

    public Pressure current() {
        return current;
    }

    public synchronized List<Change> changes() {
        return List.copyOf(changes);
    }

    public synchronized int maxLevel() {
        return changes.stream().mapToInt(Change::level).max().orElse(0);
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    if (r.key() != null && r.value() != null && source.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        try {
                            seen(Pressure.decode(r.value()));
                        } catch (UnreadableRecordException e) {
                            // the processors ignore an unreadable level too
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private synchronized void seen(Pressure p) {
        if (changes.isEmpty() || p.level() != current.level()) {
            changes.add(new Change((clock.millis() - originMillis) / 1000.0, p.level(), p.reasons()));
        }
        current = p;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
