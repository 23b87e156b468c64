package io.tagpipe.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Realistic mixed traffic, deterministic for a seed index: 8 apps of unequal volume, logs at
 * DEBUG/INFO/WARN/ERROR with ~60% in traces of 5 records, MDC attrs, and 25% metrics.
 */
public final class Traffic {
    static final String[] APPS = {"checkout-web", "billing-api", "search-indexer", "auth-service",
        "mail-worker", "nightly-report", "inventory-api", "recommendations"};
    private static final int[] APP_WEIGHT = {30, 20, 15, 10, 8, 7, 6, 4}; // percent
    private static final String[] LEVELS = {"DEBUG", "DEBUG", "DEBUG", "INFO", "INFO", "INFO", "INFO", "INFO",
        "INFO", "INFO", "INFO", "WARN", "WARN", "ERROR", "INFO", "INFO", "INFO", "DEBUG", "INFO", "INFO"};

    private Traffic() {
    }

    public static String app(long i) {
        int p = (int) (mix(i) % 100);
        for (int a = 0; a < APPS.length; a++) {
            p -= APP_WEIGHT[a];
            if (p < 0) {
                return APPS[a];
            }
        }
        return APPS[0];
    }

    /** Record {@code i} of the stream, as an app would send it (no policy fields). */
    public static Envelope record(long i, long ts) {
        String app = app(i);
        String id = String.format("01JB%022d", i);
        if (i % 4 == 3) {
            return Envelope.metric(id, app, ts).appSource("main-class").host("host-" + (i % 16))
                    .name(i % 8 == 3 ? "http.server.requests" : "jvm.memory.used").type(i % 8 == 3 ? "timer" : "gauge")
                    .value((double) (mix(i) % 10_000) / 10).unit(i % 8 == 3 ? "ms" : "bytes")
                    .attrs(Map.of("region", "eu-west-1")).build();
        }
        long trace = i / 5;
        boolean traced = mix(trace) % 10 < 6;
        return Envelope.log(id, app, ts).appSource("main-class").host("host-" + (i % 16))
                .level(LEVELS[(int) (mix(i + 7) % LEVELS.length)]).logger("com.acme." + app.replace('-', '.') + ".Handler")
                .thread("http-nio-8080-exec-" + (i % 24))
                .message("handled request " + i + " in " + (mix(i) % 250) + " ms for customer c-" + (i % 9973))
                .traceId(traced ? String.format("4bf92f3577b34da6a3ce%012x", trace) : null)
                .spanId(traced ? String.format("00f067aa%08x", i) : null)
                .attrs(Map.of("region", "eu-west-1", "request_id", "req-" + i)).build();
    }

    /** Record {@code i} as the processor would have kept it (for the sink stage). */
    public static Envelope kept(long i, long ts) {
        // only the columns the Kafka engine table declares (18.16 cannot read a JSON object into a
        // column, nor skip unknown fields by default); both sides get the same rows
        Envelope e = record(i, ts);
        return Envelope.log(e.id(), e.app(), ts).host(e.host())
                .level(i % 4 == 3 ? "INFO" : e.level()).logger(e.logger() == null ? "com.acme.Metrics" : e.logger())
                .thread(e.thread() == null ? "main" : e.thread())
                .message(e.message() == null ? "charged order " + i + " for customer 42" : e.message())
                .build().withPolicy(1.0, 30, "normal");
    }

    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Produces records {@code 0..n-1} (kept form or app form) to {@code topic}; returns records/s. */
    public static double produce(String bootstrap, String topic, int n, boolean kept) {
        EnvelopeCodec codec = new EnvelopeCodec();
        long ts = System.currentTimeMillis();
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (int i = 0; i < n; i++) {
                producer.send(producerRecord(codec, topic, i, ts, kept));
            }
            producer.flush();
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** Record {@code i} as {@link #produce} sends it: keyed by its app, encoded as a collector encodes it. */
    static ProducerRecord<byte[], byte[]> producerRecord(EnvelopeCodec codec, String topic, long i, long ts, boolean kept) {
        Envelope e = kept ? kept(i, ts) : record(i, ts);
        return new ProducerRecord<>(topic, e.app().getBytes(StandardCharsets.UTF_8), codec.encode(e));
    }

    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        return x & Long.MAX_VALUE;
    }
}
