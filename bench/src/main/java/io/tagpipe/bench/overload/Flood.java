package io.tagpipe.bench.overload;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The overload load generator (the demo's overload phase, the bench's {@code OVERLOAD} stage): one
 * producer writing log records as five apps, one per importance plus a second low one, at a steady
 * rate in 100 ms ticks. Out of every 20 records: 2 {@code payments-ledger}, 2 {@code checkout-api},
 * 6 {@code recommendations}, 5 {@code clickstream}, 5 {@code ad-impressions}; every 10th is an ERROR
 * (always kept), the rest INFO.
 */
public final class Flood implements AutoCloseable {
    /** App → importance, in the order of the policy file. */
    public static final Map<String, String> APPS = apps();
    private static final List<String> MIX = List.of("payments-ledger", "payments-ledger", "checkout-api", "checkout-api",
            "recommendations", "recommendations", "recommendations", "recommendations", "recommendations", "recommendations",
            "clickstream", "clickstream", "clickstream", "clickstream", "clickstream",
            "ad-impressions", "ad-impressions", "ad-impressions", "ad-impressions", "ad-impressions");

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int rate;
    private final String run;
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final Map<String, AtomicLong> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public Flood(String bootstrap, String topic, int rate, String run) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.rate = rate;
        this.run = run;
        APPS.keySet().forEach(a -> acknowledged.put(a, new AtomicLong()));
        this.thread = new Thread(this::loop, "tagpipe-demo-flood");
        thread.setDaemon(true);
        thread.start();
    }

    private static Map<String, String> apps() {
        Map<String, String> apps = new java.util.LinkedHashMap<>();
        apps.put("payments-ledger", "critical");
        apps.put("checkout-api", "high");
        apps.put("recommendations", "normal");
        apps.put("clickstream", "low");
        apps.put("ad-impressions", "low");
        return java.util.Collections.unmodifiableMap(apps);
    }

    /** Records of {@code app} the broker acknowledged. */
    public long produced(String app) {
        return acknowledged.get(app).get();
    }

    public long produced() {
        return acknowledged.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private void loop() {
        int perTick = Math.max(1, rate / 10);
        long start = System.nanoTime();
        long i = 0;
        for (long tick = 1; running; tick++) {
            for (int k = 0; k < perTick; k++, i++) {
                String app = MIX.get((int) (i % MIX.size()));
                Envelope e = Envelope.log(run + "-" + i, app, System.currentTimeMillis()).host("demo")
                        .level(i % 10 == 7 ? "ERROR" : "INFO").logger("demo.Flood").thread("flood")
                        .message("flood record " + i).build();
                producer.send(new ProducerRecord<>(topic, app.getBytes(java.nio.charset.StandardCharsets.UTF_8), codec.encode(e)),
                        (meta, ex) -> (ex == null ? acknowledged.get(app) : failed).incrementAndGet());
            }
            long next = start + tick * 100_000_000L;
            while (running && System.nanoTime() < next) {
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }
    }

    /** Stops sending and waits until every record sent is acknowledged (or failed); returns the failures. */
    public long stop() throws InterruptedException {
        running = false;
        thread.join(10_000);
        producer.flush();
        return failed.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        producer.close();
    }
}
