package io.tagpipe.processor;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.tagpipe.admin.ops.Health;
import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;
import io.tagpipe.wire.policy.PolicyCodec;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running processor instance: the topology on Kafka Streams. Instances with the same
 * application id share the partitions of the records topic; each holds every policy.
 */
public final class ProcessorApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessorApp.class);

    /** Thread failures replaced before the instance gives up: enough for broker restarts, not for a bug in a loop. */
    static final int MAX_THREAD_RESTARTS = 5;
    static final Duration RESTART_WINDOW = Duration.ofMinutes(10);

    private final ProcessorSettings settings;
    private final AtomicLong invalidPolicies = new AtomicLong();
    private final AtomicLong invalidPressure = new AtomicLong();
    private final KafkaStreams streams;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final KafkaStreamsMetrics streamsMetrics;

    public ProcessorApp(ProcessorSettings settings) {
        this(settings, RecordMeters.none());
    }

    /** @param meters where record outcomes are counted; the Kafka Streams binder registers on its registry too */
    public ProcessorApp(ProcessorSettings settings, RecordMeters meters) {
        this.settings = settings;
        var topology = new TagpipeTopology(settings.topics(), settings.statsInterval(), invalidPolicies, invalidPressure,
                TagpipeTopology.DEFAULT_PRESSURE_STALE_AFTER).withMeters(meters).build();
        this.streams = new KafkaStreams(topology, settings.streamsProperties());
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters.registry());
        ThreadRestarts restarts = new ThreadRestarts(MAX_THREAD_RESTARTS, RESTART_WINDOW, java.time.Clock.systemUTC());
        streams.setUncaughtExceptionHandler(e -> {
            if (restarts.replaceAfterFailure()) {
                log.warn("processor thread failed; replacing it (open transaction aborted, its records are processed again)", e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            log.error("processor thread failed {} times within {}; shutting this instance down (its partitions move to "
                    + "the others)", MAX_THREAD_RESTARTS + 1, RESTART_WINDOW, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            log.info("state {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
    }

    public ProcessorSettings settings() {
        return settings;
    }

    public void start() {
        streams.start();
    }

    /** Waits until the instance processes (global policy store loaded, partitions assigned). */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State s = streams.state();
            if (s == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (!s.isRunningOrRebalancing() && s != KafkaStreams.State.CREATED) {
                return false;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Blocks until the instance stopped (closed or failed); true if it failed. */
    public boolean awaitStopped() throws InterruptedException {
        stopped.await();
        return streams.state() == KafkaStreams.State.ERROR;
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Alive (no dead stream thread, not failed or stopped) and ready (RUNNING), for {@code /healthz} and {@code /readyz}. */
    public Health health() {
        List<String> threads;
        try {
            threads = streams.metadataForLocalThreads().stream().map(ThreadMetadata::threadState).toList();
        } catch (IllegalStateException e) {
            threads = List.of(); // not running: the state says why
        }
        return ProcessorHealth.of(streams.state(), threads);
    }

    /** The policies this instance applies now (app → policy), read from its global store. */
    public Map<String, Policy> policies() {
        ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                TagpipeTopology.POLICY_STORE, QueryableStoreTypes.keyValueStore()));
        PolicyCodec codec = new PolicyCodec();
        Map<String, Policy> out = new LinkedHashMap<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> {
                try {
                    out.put(kv.key, codec.decode(kv.value));
                } catch (InvalidPolicyException e) {
                    log.error("stored policy of '{}' is invalid: {}", kv.key, e.getMessage());
                }
            });
        }
        return out;
    }

    /** Invalid records seen on the policy topic since start (ignored; the previous policy stayed). */
    public long invalidPolicyRecords() {
        return invalidPolicies.get();
    }

    /** Unreadable records seen on the pressure topic (ignored: they neither raise nor lower the level). */
    public long invalidPressureRecords() {
        return invalidPressure.get();
    }

    /** Number of input partitions this instance processes now. */
    public int assignedPartitions() {
        return streams.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().stream()
                .mapToInt(task -> task.topicPartitions().size()).sum()).sum();
    }

    /** Clean stop: commits, leaves the group so partitions move at once. */
    public void close(Duration timeout) {
        streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(timeout));
        streamsMetrics.close();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
