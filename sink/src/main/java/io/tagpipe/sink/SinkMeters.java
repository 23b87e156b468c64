package io.tagpipe.sink;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The sink's own meters: rows written (each INSERT ClickHouse acknowledged), insert latency, batch size,
 * dead letters by reason, and gauges of its state (paused, assigned partitions, published pressure
 * level). Lag comes from the Kafka consumer binder registered beside them. Thread-safe.
 */
public final class SinkMeters {
    static final String ROWS = "tagpipe.sink.rows.written";
    static final String INSERTS = "tagpipe.sink.insert";
    static final String BATCH = "tagpipe.sink.batch.rows";
    static final String DEAD_LETTERS = "tagpipe.sink.dead.letters";
    static final String PAUSED = "tagpipe.sink.paused";
    static final String ASSIGNED = "tagpipe.sink.assigned.partitions";
    static final String LEVEL = "tagpipe.sink.pressure.level";

    /** What the gauges read, asked at each scrape. */
    public interface State {
        boolean paused();

        int assignedPartitions();

        int pressureLevel();
    }

    private final MeterRegistry registry;
    private final Counter rows;
    private final Timer inserts;
    private final DistributionSummary batches;

    public SinkMeters(MeterRegistry registry) {
        this.registry = registry;
        this.rows = Counter.builder(ROWS).description("rows ClickHouse acknowledged (offsets committed after)")
                .register(registry);
        this.inserts = Timer.builder(INSERTS).description("duration of each INSERT, failed ones included")
                .publishPercentileHistogram().register(registry);
        this.batches = DistributionSummary.builder(BATCH).description("records (rows and dead letters) per delivered batch").baseUnit("rows")
                .publishPercentileHistogram().register(registry);
    }

    /** Meters that go nowhere (tests that do not look at them). */
    static SinkMeters none() {
        return new SinkMeters(new CompositeMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Exports {@code consumer}'s own metrics (lag, fetch rates) beside these; close the binder with the consumer. */
    public KafkaClientMetrics bindConsumer(Consumer<?, ?> consumer) {
        KafkaClientMetrics m = new KafkaClientMetrics(consumer);
        m.bindTo(registry);
        return m;
    }

    /** Registers the state gauges; once per registry. They hold {@code state} strongly: Micrometer's default weak reference lets an anonymous state vanish. */
    public void watch(State state) {
        Gauge.builder(PAUSED, state, s -> s.paused() ? 1 : 0).strongReference(true)
                .description("1 while ClickHouse (or Kafka) is unavailable and consumption is paused").register(registry);
        Gauge.builder(ASSIGNED, state, State::assignedPartitions).strongReference(true).description("partitions assigned to this sink")
                .register(registry);
        Gauge.builder(LEVEL, state, State::pressureLevel).strongReference(true).description("pressure level this sink published last")
                .register(registry);
    }

    /** A batch of {@code n} records (rows and dead letters) was delivered and its offsets are committed next. */
    public void delivered(int n) {
        batches.record(n);
    }

    /** An INSERT took {@code nanos} and ClickHouse acknowledged {@code rows} rows (0 when it failed). */
    public void inserted(long nanos, int rows) {
        inserts.record(nanos, TimeUnit.NANOSECONDS);
        this.rows.increment(rows);
    }

    /** A record was written to the DLQ for {@code reason}. */
    public void deadLettered(String reason) {
        Counter.builder(DEAD_LETTERS).tag("reason", reason).description("records written to the DLQ, by reason")
                .register(registry).increment();
    }
}
