package io.tagpipe.sink;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.tagpipe.admin.Secrets;
import io.tagpipe.admin.ops.Health;
import io.tagpipe.sink.pressure.HeadroomProbe;
import io.tagpipe.sink.pressure.InsertRecorder;
import io.tagpipe.sink.pressure.PressureMonitor;
import io.tagpipe.wire.EnvelopeCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running sink: checks ClickHouse (version → dialect), creates the schema, then runs the consumer
 * loop on its own thread and the retention job on a schedule. {@link #close()} flushes, commits and
 * stops; it is what SIGTERM triggers.
 */
public final class Sink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sink.class);
    /** How long a lane partition whose lag the consumer does not know yet holds back the lanes below. */
    static final Duration UNKNOWN_LAG_COUNTS_FOR = Duration.ofSeconds(10);
    /** However slow ClickHouse is, a batch capped by the insert-time target still holds this many rows. */
    static final int MIN_CAPPED_ROWS = 1_000;

    private final SinkConfig config;
    private final ClickHouseStore store;
    private final ClickHouseStore retentionStore;
    private final ClickHouseStore probeStore;
    private final PressureMonitor pressure;
    private final KafkaDeadLetters deadLetters;
    private final SinkRunner runner;
    private final Thread thread;
    private final ScheduledExecutorService scheduler;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final String version;
    private final Dialect dialect;
    private final ZoneId zone;

    private final KafkaClientMetrics consumerMetrics;

    private Sink(SinkConfig config, Clock clock, SinkMeters meters) throws Exception {
        this.config = config;
        this.store = ClickHouseStore.of(config);
        this.version = store.version();
        this.dialect = store.dialect();
        this.zone = store.timeZone();
        store.ensureSchema();
        this.deadLetters = new KafkaDeadLetters(config, meters);
        InsertRecorder recorder = new InsertRecorder(clock);
        Map<String, List<Table>> tablesOf = new LinkedHashMap<>();
        config.keptTopics().forEach(t -> tablesOf.put(t, List.of(Table.LOGS, Table.METRICS)));
        tablesOf.put(config.statsTopic(), List.of(Table.INGEST_STATS));
        RecordMapper mapper = new RecordMapper(new EnvelopeCodec(), Set.copyOf(config.keptTopics()),
                config.defaultRetentionDays(), config.statsRetentionDays(), clock);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(config),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.consumerMetrics = meters.bindConsumer(consumer);
        ExactlyOnceDelivery delivery = new ExactlyOnceDelivery(store, deadLetters, recorder, meters);
        if (config.laneOrder()) {
            delivery.withLaneOrder(config.keptTopics());
        }
        this.runner = new SinkRunner(consumer, delivery,
                new ParallelMapper(mapper, ParallelMapper.defaultThreads()),
                new PendingBatch(config.batchMinRows(), config.batchRows(), config.batchBytes(),
                        config.batchMaxWait().toMillis(), dialect, zone).withRowCap(() -> recorder.rowCap(
                        config.batchRows(), config.insertTarget().toMillis(), MIN_CAPPED_ROWS)),
                new Backoff(config.backoffInitial(), config.backoffMax()), tablesOf, clock, recorder, meters,
                config.laneOrder() ? new LaneGate(config.keptTopics(), UNKNOWN_LAG_COUNTS_FOR) : null);
        this.thread = new Thread(this::runLoop, "tagpipe-sink");
        this.retentionStore = ClickHouseStore.of(config);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tagpipe-retention");
            t.setDaemon(true);
            return t;
        });
        RetentionJob retention = new RetentionJob(retentionStore, clock);
        long period = config.retentionPeriod().toMillis();
        scheduler.scheduleWithFixedDelay(() -> runRetention(retention), period, period, TimeUnit.MILLISECONDS);
        // its own client with a timeout of one period: a frozen server must not stall the measurement
        this.probeStore = new ClickHouseStore(config.clickhouseUrl(), config.clickhouseUser(), config.clickhousePassword(),
                config.database(), config.pressurePeriod().compareTo(Duration.ofSeconds(1)) < 0
                        ? Duration.ofSeconds(1) : config.pressurePeriod());
        this.pressure = new PressureMonitor(new PressureMonitor.Settings(config.bootstrapServers(),
                config.kafkaProperties(), config.pressureTopic(), config.groupId(), config.pressurePeriod(),
                config.pressureRules()), recorder, new HeadroomProbe(probeStore::queryRows, config.database()),
                runner::isPaused, clock);
        meters.watch(new SinkMeters.State() {
            @Override
            public boolean paused() {
                return runner.isPaused();
            }

            @Override
            public int assignedPartitions() {
                return runner.assignedPartitions();
            }

            @Override
            public int pressureLevel() {
                return pressure.level();
            }
        });
    }

    /** Connects, creates the schema and starts consuming; throws if ClickHouse cannot be reached at start. */
    public static Sink start(SinkConfig config, Clock clock) throws Exception {
        return start(config, clock, SinkMeters.none());
    }

    /** As {@link #start(SinkConfig, Clock)}, exporting its meters and the consumer's (lag) on {@code meters}' registry. */
    public static Sink start(SinkConfig config, Clock clock, SinkMeters meters) throws Exception {
        Sink s = new Sink(config, clock, meters);
        s.thread.start();
        return s;
    }

    static Map<String, Object> consumerProperties(SinkConfig c) {
        Map<String, Object> p = new HashMap<>(c.kafkaProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, c.groupId());
        p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // the guarantees: offsets move only after ClickHouse acknowledged; never read aborted data
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    /** The lines printed at startup (no secrets). */
    public List<String> startupSummary() {
        return startupSummary(config, version, dialect, zone);
    }

    /** The startup lines of a sink with {@code config} on a server of {@code version}; settings only through {@link Secrets#masked}. */
    public static List<String> startupSummary(SinkConfig config, String version, Dialect dialect, ZoneId zone) {
        return List.of(
                "tagpipe sink",
                "  bootstrap servers: " + config.bootstrapServers(),
                "  kafka config:      " + Secrets.masked(config.kafkaProperties()),
                "  topics:            " + config.keptTopics() + " + " + config.statsTopic() + " (DLQ " + config.dlqTopic() + ")",
                "  lanes:             " + (config.laneOrder() && config.keptTopics().size() > 1
                        ? "drained in the order listed (a lower lane pauses while a higher one has lag)" : "not ordered"),
                "  group:             " + config.groupId(),
                "  clickhouse:        " + config.clickhouseUrl() + " as " + config.clickhouseUser()
                        + (config.clickhousePassword().isEmpty() ? " (no password)" : " (password set)"),
                "  server version:    " + version + " → " + dialect.name().toLowerCase() + " dialect, time zone " + zone,
                "  database:          " + config.database() + " (tables logs, metrics, ingest_stats)",
                "  layout:            " + config.layout(),
                "  batches:           " + config.batchRows() + " rows / " + config.batchBytes() + " bytes / "
                        + config.batchMaxWait().toMillis() + " ms, or " + config.batchMinRows() + " rows when no insert runs",
                "  retention job:     every " + config.retentionPeriod().toSeconds() + " s",
                "  pressure:          every " + config.pressurePeriod().toMillis() + " ms to " + config.pressureTopic()
                        + " (key " + config.groupId() + ")");
    }

    /** True while ClickHouse is unavailable and consumption is paused. */
    public boolean isPaused() {
        return runner.isPaused();
    }

    /** Alive while the consumer loop runs; ready while it also holds partitions and is not paused. */
    public Health health() {
        return SinkHealth.of(thread.isAlive() && done.getCount() > 0, failure.get(), runner.assignedPartitions(),
                runner.isPaused());
    }

    public long rowsWritten() {
        return runner.rowsWritten();
    }

    /** Blocks until the loop ends (after {@link #close()} or a fatal error); returns the fatal error, if any. */
    public Throwable await() throws InterruptedException {
        done.await();
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        pressure.close();
        probeStore.close();
        runner.stop();
        thread.join(60_000);
        consumerMetrics.close();
        deadLetters.close();
        store.close();
        retentionStore.close();
    }

    private void runLoop() {
        try {
            runner.run();
        } catch (Throwable t) {
            failure.set(t);
            log.error("sink stopped: {}", t.getMessage(), t);
        } finally {
            done.countDown();
        }
    }

    private static void runRetention(RetentionJob job) {
        try {
            job.runOnce();
        } catch (Exception e) {
            log.warn("retention run failed (next run on schedule): {}", e.getMessage());
        }
    }
}
