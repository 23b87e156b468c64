package io.tagpipe.sink;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    static final String DELAY = "tagpipe.sink.delay";
    /** The delay target of the shedding benchmark: its bucket makes "share queryable within 5 s" exact. */
    static final Duration DELAY_SLO = Duration.ofSeconds(5);

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
    private final Map<String, Timer> delays = new ConcurrentHashMap<>();

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

    /**
     * ClickHouse acknowledged the logs/metrics rows of {@code rows} at {@code ackMs}: each row's delay
     * from its record's own time (the log call) to then, when it became queryable, per source topic (lane).
     * A record stamped in the future (a skewed app clock) counts as 0.
     */
    void acknowledged(EncodedRows.Slice rows, long ackMs) {
        String topic = null;
        Timer timer = null;
        for (int i = 0; i < rows.size(); i++) {
            String t = rows.source(i).topic();
            if (!t.equals(topic)) {
                topic = t;
                timer = delayOf(t);
            }
            timer.record(Math.max(0, ackMs - rows.recordTs(i)), TimeUnit.MILLISECONDS);
        }
    }

    /** One row of {@code topic} became queryable {@code millis} after its log call. */
    public void delay(String topic, long millis) {
        delayOf(topic).record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    private Timer delayOf(String topic) {
        return delays.computeIfAbsent(topic, this::delayTimer);
    }

    private Timer delayTimer(String topic) {
        return Timer.builder(DELAY).tag("topic", topic)
                .description("from a record's own time (the log call) to ClickHouse acknowledging its row: when it became queryable")
                .publishPercentileHistogram().serviceLevelObjectives(DELAY_SLO)
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    /** A record was written to the DLQ for {@code reason}. */
    public void deadLettered(String reason) {
        Counter.builder(DEAD_LETTERS).tag("reason", reason).description("records written to the DLQ, by reason")
                .register(registry).increment();
    }
}
