package io.tagpipe.admin.policy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.topics.TopicReader;
import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;
import io.tagpipe.wire.policy.PolicyCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads and writes the policy topic for operators ({@code tagpipe policy …}). Writes are
 * validated first — app labels, every field, and that each route topic exists — and nothing is
 * written unless all of them pass.
 */
public final class PolicyClient {
    private final ClientConfig client;
    private final String topic;
    private final PolicyCodec codec = new PolicyCodec();
    private final Duration timeout;

    public PolicyClient(ClientConfig client, String topic, Duration timeout) {
        this.client = client;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** The valid policies on the topic (app → policy) and the invalid records that were ignored. */
    public record Snapshot(Map<String, Policy> policies, Map<String, String> invalid) { }

    /** Writes every policy, or none when any app label or route is bad. */
    public void putAll(Map<String, Policy> policies) throws InvalidPolicyException {
        List<String> errors = new ArrayList<>();
        for (String app : policies.keySet()) {
            try {
                PolicyCodec.checkApp(app);
            } catch (InvalidPolicyException e) {
                errors.addAll(e.errors());
            }
        }
        errors.addAll(missingRoutes(policies));
        if (!errors.isEmpty()) {
            throw new InvalidPolicyException(errors);
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        policies.forEach((app, p) -> records.add(new ProducerRecord<>(topic, app, codec.encode(p))));
        send(records);
    }

    public void put(String app, Policy policy) throws InvalidPolicyException {
        putAll(Map.of(app, policy));
    }

    /** Writes a tombstone: the app falls back to {@code *} (or the built-in default). */
    public void remove(String app) throws InvalidPolicyException {
        PolicyCodec.checkApp(app);
        send(List.of(new ProducerRecord<>(topic, app, null)));
    }

    /** Reads the whole topic the way the processor does: last valid value per app, tombstones remove. */
    public Snapshot readAll() {
        Map<String, Policy> policies = new TreeMap<>();
        Map<String, String> invalid = new TreeMap<>();
        TopicReader.readToEnd(client, topic, timeout, r -> apply(r, policies, invalid));
        return new Snapshot(policies, invalid);
    }

    private void apply(ConsumerRecord<byte[], byte[]> r, Map<String, Policy> policies, Map<String, String> invalid) {
        String app = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            policies.remove(app);
            invalid.remove(app);
            return;
        }
        try {
            PolicyCodec.checkApp(app);
            policies.put(app, codec.decode(r.value()));
            invalid.remove(app);
        } catch (InvalidPolicyException e) {
            invalid.put(String.valueOf(app), "offset " + r.offset() + ": " + e.getMessage());
        }
    }

    private List<String> missingRoutes(Map<String, Policy> policies) {
        Set<String> routes = new HashSet<>();
        policies.values().forEach(p -> {
            if (p.route() != null) {
                routes.add(p.route());
            }
        });
        if (routes.isEmpty()) {
            return List.of();
        }
        try (Admin admin = Admin.create(client.properties())) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return routes.stream().filter(r -> !existing.contains(r)).sorted()
                    .map(r -> "route: topic '" + r + "' does not exist; create it first (kept records would have nowhere to go)")
                    .toList();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics to check routes: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void send(List<ProducerRecord<String, byte[]>> records) {
        Properties p = client.properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout.toMillis()));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(timeout.toMillis(), 1_000)));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(timeout.toMillis(), 30_000)));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            records.forEach(r -> sent.add(producer.send(r)));
            for (Future<?> f : sent) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("writing to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
