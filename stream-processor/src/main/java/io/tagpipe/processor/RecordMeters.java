package io.tagpipe.processor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.tagpipe.admin.ops.AppLabels;
import io.tagpipe.wire.StatsRecord;

/**
 * The processor's own meters: records in, kept and dropped (by reason) per app, the app label
 * bounded by {@link AppLabels}, and the pressure level the last record was judged under. Unlike
 * {@code tagpipe.stats} these are not exactly once: a record processed again after an aborted
 * transaction counts again. Thread-safe (every stream thread shares one instance).
 */
public final class RecordMeters {
    static final String IN = "tagpipe.processor.records.in";
    static final String KEPT = "tagpipe.processor.records.kept";
    static final String DROPPED = "tagpipe.processor.records.dropped";
    static final String LEVEL = "tagpipe.processor.pressure.level";

    private final MeterRegistry registry;
    private final AppLabels apps;
    private final Map<String, AppMeters> byApp = new ConcurrentHashMap<>();
    private final AtomicInteger level = new AtomicInteger();

    public RecordMeters(MeterRegistry registry, AppLabels apps) {
        this.registry = registry;
        this.apps = apps;
        registry.gauge(LEVEL, level);
    }

    /** Where these meters are registered (the Kafka Streams binder joins them there). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Meters that go nowhere (topology tests, benchmarks). */
    public static RecordMeters none() {
        return new RecordMeters(new CompositeMeterRegistry(), new AppLabels(0));
    }

    /** One record of {@code app} received and decided with {@code reason} ({@link StatsRecord#KEPT} or why it was dropped). */
    public void count(String app, String reason) {
        AppMeters m = byApp.computeIfAbsent(app, a -> new AppMeters(apps.of(a)));
        m.in.increment();
        if (StatsRecord.KEPT.equals(reason)) {
            m.kept.increment();
        } else {
            m.dropped.computeIfAbsent(reason, r -> Counter.builder(DROPPED).tag("app", m.label).tag("reason", r)
                    .description("records dropped, by reason").register(registry)).increment();
        }
    }

    /** The pressure level a record was just judged under. */
    public void level(int l) {
        level.set(l);
    }

    private final class AppMeters {
        final String label;
        final Counter in;
        final Counter kept;
        final Map<String, Counter> dropped = new ConcurrentHashMap<>();

        AppMeters(String label) {
            this.label = label;
            this.in = Counter.builder(IN).tag("app", label).description("records read from the records topic")
                    .register(registry);
            this.kept = Counter.builder(KEPT).tag("app", label).description("records kept (written to their route)")
                    .register(registry);
        }
    }
}
