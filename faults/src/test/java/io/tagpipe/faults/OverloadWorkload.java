package io.tagpipe.faults;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The overload workload: one app per importance plus a second low one, every policy keeping
 * everything at level 0 (sample 1, min level TRACE), so the only drop reason is {@code shed} and
 * kept + shed = received is exact per app. Out of every 20 records: 2 {@code pay} (critical),
 * 2 {@code auth} (high), 6 {@code web} (normal), 5 {@code feed} and 5 {@code spam} (low); every
 * 10th record is an ERROR (an always-kept level), the rest INFO; a third carry a trace id.
 */
final class OverloadWorkload {
    static final List<String> NEVER_SHED = List.of("pay", "auth");
    static final List<String> SHED = List.of("feed", "spam");
    private static final String[] APPS = {"pay", "pay", "auth", "auth", "web", "web", "web", "web", "web", "web",
            "feed", "feed", "feed", "feed", "feed", "spam", "spam", "spam", "spam", "spam"};

    private final String run;
    private final long baseTs;
    private final EnvelopeCodec codec = new EnvelopeCodec();

    OverloadWorkload(String run, long baseTs) {
        this.run = run;
        this.baseTs = baseTs;
    }

    static Map<String, Policy> policies() {
        try {
            Map<String, Policy> p = new LinkedHashMap<>();
            p.put("pay", Policy.of(Map.of("importance", "critical")));
            p.put("auth", Policy.of(Map.of("importance", "high")));
            p.put("web", Policy.of(Map.of("importance", "normal", "sample_rate", 1.0)));
            for (String low : SHED) {
                p.put(low, Policy.of(Map.of("importance", "low", "sample_rate", 1.0, "min_level", "TRACE")));
            }
            return p;
        } catch (InvalidPolicyException e) {
            throw new IllegalStateException(e);
        }
    }

    String app(int i) {
        return APPS[i % APPS.length];
    }

    Envelope envelope(int i) {
        return Envelope.log(run + "-" + i, app(i), baseTs + i / 10).host("h1").level(i % 10 == 7 ? "ERROR" : "INFO")
                .logger("com.acme.Svc").thread("main").traceId(i % 3 == 0 ? run + "-trace-" + (i / 30) : null)
                .message("message " + i).attrs(Map.of("seq", Integer.toString(i))).build();
    }

    /** Sends at {@code rate} records/s in 100 ms ticks for {@code duration}; returns how many (all acknowledged). */
    int sendPaced(KafkaProducer<byte[], byte[]> producer, String topic, int rate, Duration duration) {
        int perTick = rate / 10;
        int ticks = (int) (duration.toMillis() / 100);
        long start = System.nanoTime();
        int i = 0;
        for (int t = 0; t < ticks; t++) {
            for (int k = 0; k < perTick; k++, i++) {
                producer.send(new ProducerRecord<>(topic, app(i).getBytes(), codec.encode(envelope(i))));
            }
            long next = start + (t + 1) * 100_000_000L;
            while (System.nanoTime() < next) {
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }
        producer.flush();
        return i;
    }
}
