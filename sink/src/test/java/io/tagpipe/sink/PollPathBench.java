package io.tagpipe.sink;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.tagpipe.sink.pressure.InsertRecorder;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer thread's per-record path alone, for profiling by hand (no test runs it): a {@link SinkRunner}
 * over Kafka's {@link MockConsumer} (polls of 10,000 records over 4 partitions) and a store that only streams
 * the batch's bytes to nowhere, so neither a broker nor ClickHouse shares the cores. Prints the CPU time per
 * record of each sink thread over the records after a warm-up.
 * {@code java -cp sink/target/test-classes:sink/target/classes:<test classpath> io.tagpipe.sink.PollPathBench [warm] [measured]}
 */
final class PollPathBench {
    private static final String TOPIC = "kept";
    private static final int PARTITIONS = 4;
    private static final int PER_POLL = 10_000;

    public static void main(String[] args) throws Exception {
        long warm = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        long measured = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000;
        long total = warm + measured;
        byte[][] values = values(4096);
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        List<TopicPartition> tps = new java.util.ArrayList<>();
        Map<TopicPartition, Long> zero = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            tps.add(new TopicPartition(TOPIC, p));
            zero.put(tps.get(p), 0L);
        }
        consumer.updateBeginningOffsets(zero);
        consumer.updateEndOffsets(zero);
        consumer.schedulePollTask(() -> consumer.rebalance(tps));
        long[] next = new long[PARTITIONS];
        for (long n = 0; n < total; n += PER_POLL) {
            consumer.schedulePollTask(() -> {
                for (int i = 0; i < PER_POLL; i++) {
                    int p = i % PARTITIONS;
                    long offset = next[p]++;
                    consumer.addRecord(new ConsumerRecord<>(TOPIC, p, offset, null,
                            values[(int) ((offset * PARTITIONS + p) % values.length)]));
                }
            });
        }
        Store store = new NullStore();
        Clock clock = Clock.systemUTC();
        RecordMapper mapper = new RecordMapper(new EnvelopeCodec(), Set.of(TOPIC), 30, 90, clock);
        SinkRunner runner = new SinkRunner(consumer, new ExactlyOnceDelivery(store, records -> { }),
                new ParallelMapper(mapper, 2), new PendingBatch(10_000, 50_000, 64L << 20, 1000, Dialect.LEGACY, ZoneOffset.UTC),
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), Map.of(TOPIC, List.of(Table.LOGS, Table.METRICS)),
                clock, new InsertRecorder(clock), null);
        Thread thread = new Thread(runner, "tagpipe-sink");
        thread.start();
        while (runner.rowsWritten() < warm) {
            Thread.sleep(5);
        }
        long startRows = runner.rowsWritten();
        Map<String, Long> start = cpuOfSinkThreads();
        long startNs = System.nanoTime();
        while (runner.rowsWritten() < total) {
            Thread.sleep(5);
        }
        Map<String, Long> end = cpuOfSinkThreads();
        double seconds = (System.nanoTime() - startNs) / 1e9;
        long rows = runner.rowsWritten() - startRows;
        runner.stop();
        thread.join();
        long sum = 0;
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Long> e : end.entrySet()) {
            long ns = e.getValue() - start.getOrDefault(e.getKey(), 0L);
            sum += ns;
            out.append(String.format(" %s %.3f", e.getKey(), ns / 1e3 / rows));
        }
        System.out.printf("rows %d, %.0f rows/s, sink threads %.3f µs/row:%s%n", rows, rows / seconds, sum / 1e3 / rows, out);
    }

    private static Map<String, Long> cpuOfSinkThreads() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("tagpipe-sink")) {
                cpu.merge(t.getName(), mx.getThreadCpuTime(t.getId()), Long::sum);
            }
        }
        return cpu;
    }

    /** Kept log records of the bench's shape (policy fields set, a trace on most, two attrs). */
    private static byte[][] values(int n) {
        EnvelopeCodec codec = new EnvelopeCodec();
        String[] apps = {"checkout-web", "billing-api", "search-indexer", "auth-service"};
        String[] levels = {"DEBUG", "INFO", "INFO", "WARN", "ERROR"};
        long ts = System.currentTimeMillis();
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            String app = apps[i % apps.length];
            out[i] = codec.encode(Envelope.log(String.format("01JB%022d", i), app, ts + i).host("host-" + (i % 16))
                    .level(levels[i % levels.length]).logger("com.acme." + app.replace('-', '.') + ".Handler")
                    .thread("http-nio-8080-exec-" + (i % 24))
                    .message("handled request " + i + " in " + (i % 250) + " ms for customer c-" + (i % 9973))
                    .traceId(i % 10 < 6 ? String.format("4bf92f3577b34da6a3ce%012x", i / 5) : null)
                    .attrs(Map.of("region", "eu-west-1", "request_id", "req-" + i)).build()
                    .withPolicy(1.0, 30, "normal"));
        }
        return out;
    }

    /** Takes every INSERT (its bytes streamed to nowhere); holds nothing, so recovery finds nothing. */
    private static final class NullStore implements Store {
        @Override
        public void insert(EncodedRows.Slice rows) throws Exception {
            rows.writeTo(OutputStream.nullOutputStream());
        }

        @Override
        public Map<TopicPartition, Long> maxOffsets(Table table, Map<TopicPartition, Window> windows) {
            return Map.of();
        }

        @Override
        public void storedOffsets(Table table, Map<TopicPartition, Window> windows, OffsetSink sink) {
        }
    }

    private PollPathBench() {
    }
}
