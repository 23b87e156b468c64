package io.tagpipe.bench;

import java.time.Duration;
import java.util.Map;

import io.tagpipe.collector.TagpipeSender;
import io.tagpipe.wire.Level;

/**
 * How many records one {@link TagpipeSender} worker ships per second: a tight loop of log calls,
 * then a flush. With a queue smaller than the burst the excess is dropped and counted, which
 * shows whether the worker keeps up with the app.
 */
public final class SenderThroughput {
    /** One run: calls made, how long the calls and the full delivery took, how many were dropped. */
    public record Result(int calls, int queueCapacity, double callSeconds, double deliveredSeconds, long dropped) {
        public double deliveredPerSecond() {
            return (calls - dropped) / deliveredSeconds;
        }
    }

    private SenderThroughput() {
    }

    public static Result run(String bootstrap, String topic, int calls, int queueCapacity) {
        try (TagpipeSender sender = TagpipeSender.builder().bootstrapServers(bootstrap).topic(topic).app("bench-sender")
                .queueCapacity(queueCapacity).shutdownHook(false).build()) {
            Map<String, String> mdc = Map.of("user", "u-1", "request", "r-1");
            for (int i = 0; i < 20_000; i++) { // warm-up (JIT, producer metadata)
                sender.log(Level.INFO, "io.tagpipe.bench.Warmup", "warm-up " + i, null, mdc);
            }
            sender.flush(Duration.ofSeconds(60));
            long before = sender.droppedCount();
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
            return new Result(calls, queueCapacity, (called - start) / 1e9, (done - start) / 1e9,
                    sender.droppedCount() - before);
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
        }
    }
}
