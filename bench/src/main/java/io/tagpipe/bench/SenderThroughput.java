package io.tagpipe.bench;

import java.time.Duration;
import java.util.Map;

import io.tagpipe.bench.cpu.CpuMeter;
import io.tagpipe.bench.cpu.CpuUse;
import io.tagpipe.collector.TagpipeSender;
import io.tagpipe.testkit.TempDirs;
import io.tagpipe.wire.Level;

/**
 * How many records one {@link TagpipeSender} worker ships per second: a tight loop of log calls,
 * then a flush. With a queue smaller than the burst the excess is dropped and counted, which
 * shows whether the worker keeps up with the app.
 */
public final class SenderThroughput {
    /** The sender's own threads: its worker ({@code tagpipe-sender-APP}) and its Kafka producer's I/O thread. */
    static final String THREADS = "sender threads";
    private static final String APP = "bench-sender";

    /**
     * One run: calls made, how long the calls and the full delivery took, how many were dropped, and
     * the CPU of the sender's threads from the first call until everything was delivered.
     */
    public record Result(int calls, int queueCapacity, double callSeconds, double deliveredSeconds, long dropped, CpuUse cpu) {
        public double deliveredPerSecond() {
            return (calls - dropped) / deliveredSeconds;
        }

        /** CPU µs of the sender's threads per record delivered (the app thread's calls are the log call stage's). */
        public double microsPerRecord() {
            return cpu.microsPerRecord(THREADS, calls - dropped);
        }
    }

    private SenderThroughput() {
    }

    public static Result run(String bootstrap, String topic, int calls, int queueCapacity) {
        CpuMeter meter = new CpuMeter().threads(THREADS, n -> n.equals("tagpipe-sender-" + APP) || n.endsWith("| tagpipe-" + APP));
        try (TagpipeSender sender = TagpipeSender.builder().bootstrapServers(bootstrap).topic(topic).app(APP)
                .queueCapacity(queueCapacity).shutdownHook(false).build()) {
            Map<String, String> mdc = Map.of("user", "u-1", "request", "r-1");
            for (int i = 0; i < 20_000; i++) { // warm-up (JIT, producer metadata)
                sender.log(Level.INFO, "io.tagpipe.bench.Warmup", "warm-up " + i, null, mdc);
            }
            sender.flush(Duration.ofSeconds(60));
            long before = sender.droppedCount();
            CpuMeter.Window window = meter.start();
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                sender.log(Level.INFO, "io.tagpipe.bench.Checkout", "order placed for customer c-" + (i % 977)
                        + " total 42.50 EUR in 3 items", null, mdc);
            }
            long called = System.nanoTime();
            if (!sender.flush(Duration.ofSeconds(300))) {
                throw new IllegalStateException("records not delivered within 300 s");
            }
            long done = System.nanoTime();
            CpuUse cpu = window.stop();
            return new Result(calls, queueCapacity, (called - start) / 1e9, (done - start) / 1e9,
                    sender.droppedCount() - before, cpu);
        }
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tagpipe-bench-broker");
        try (BrokerProcess broker = BrokerProcess.start(dir, "1g")) {
            for (int r = 0; r < runs; r++) {
                for (int capacity : new int[] {65_536, calls + 1}) {
                    String topic = "sender-" + r + "-" + capacity;
                    BrokerProcess.createTopic(broker.bootstrapServers(), topic, 4, Map.of());
                    Result res = run(broker.bootstrapServers(), topic, calls, capacity);
                    System.out.printf("run %d queue %7d: %d calls in %.2f s, delivered in %.2f s = %.0f rec/s, dropped %d%n",
                            r, capacity, res.calls(), res.callSeconds(), res.deliveredSeconds(),
                            res.deliveredPerSecond(), res.dropped());
                }
            }
        } finally {
            TempDirs.deleteTree(dir);
        }
    }
}
