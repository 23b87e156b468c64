package io.tagpipe.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.processor.ProcessorApp;
import io.tagpipe.processor.ProcessorSettings;
import io.tagpipe.wire.ProcessorTopics;

/**
 * A processor instance in its own JVM so a fault test can SIGKILL it. Prints {@code RUNNING} once
 * it processes and {@code POLICIES [apps]} when its set of policies changes. Args: bootstrap, application id,
 * topic prefix, state dir, client id (its stream threads' consumers are {@code <client id>-StreamThread-N-consumer},
 * so a test can find this instance's members in the group).
 */
public final class ProcessorChild {
    private ProcessorChild() {
    }

    public static void main(String[] args) throws Exception {
        Properties streams = new Properties();
        streams.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(args[3]).toString());
        streams.put(StreamsConfig.CLIENT_ID_CONFIG, args[4]);
        // a killed member's partitions move after 6 s instead of 45 s
        streams.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000");
        streams.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "1000");
        ProcessorApp app = new ProcessorApp(new ProcessorSettings(new ClientConfig(args[0], new Properties()),
                args[1], ProcessorTopics.prefixed(args[2]), Duration.ofSeconds(1), streams));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> app.close(Duration.ofSeconds(20)), "processor-stop"));
        app.start();
        if (!app.awaitRunning(Duration.ofMinutes(3))) {
            System.out.println("FAILED " + app.state());
            System.exit(1);
        }
        System.out.println("RUNNING");
        String last = null;
        while (!app.awaitStopped(Duration.ofMillis(200))) {
            // the policies this instance applies, so a test can wait until a change reached it
            String now;
            try {
                now = new java.util.TreeMap<>(app.policies()).keySet().toString();
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException rebalancing) {
                continue;
            }
            if (!now.equals(last)) {
                System.out.println("POLICIES " + now);
                last = now;
            }
        }
        boolean failed = app.state() == org.apache.kafka.streams.KafkaStreams.State.ERROR;
        System.out.println("STOPPED failed=" + failed);
        System.exit(failed ? 1 : 0);
    }
}
