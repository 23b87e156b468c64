package io.tagpipe.faults;

import java.nio.charset.StandardCharsets;
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

/** Follows one sink's level on the pressure topic from the start, on its own thread. */
final class PressureWatch implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String source;
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private final List<String> transitions = new ArrayList<>();
    private volatile Pressure current = Pressure.none(System.currentTimeMillis(), "");
    private volatile int max;
    private volatile boolean running = true;

    private PressureWatch(String bootstrap, String topic, String source) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.source = source;
        TopicPartition tp = new TopicPartition(topic, 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        this.thread = new Thread(this::follow, "pressure-watch");
        thread.setDaemon(true);
    }

    static PressureWatch start(String bootstrap, String topic, String source) {
        PressureWatch w = new PressureWatch(bootstrap, topic, source);
        w.thread.start();
        return w;
    }

    Pressure current() {
        return current;
    }

    int maxLevel() {
        return max;
    }

    /** Seconds since the watch started, as the transitions show them ("12s"). */
    String elapsed() {
        return Math.round((System.nanoTime() - startNanos) / 1e9) + "s";
    }

    /** Each change of level: "12s:2" = level 2 from 12 s after the watch started. */
    synchronized List<String> transitions() {
        return List.copyOf(transitions);
    }

    private void follow() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null || !source.equals(new String(r.key(), StandardCharsets.UTF_8)) || r.value() == null) {
                        continue;
                    }
                    try {
                        seen(Pressure.decode(r.value()));
                    } catch (UnreadableRecordException e) {
                        throw new IllegalStateException("the sink published an unreadable level: " + e.getMessage(), e);
                    }
                }
            }
        } catch (WakeupException e) {
            // closed
        } finally {
            consumer.close();
        }
    }

    private synchronized void seen(Pressure p) {
        if (p.level() != current.level() || transitions.isEmpty()) {
            transitions.add(elapsed() + ":" + p.level());
        }
        current = p;
        max = Math.max(max, p.level());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
