package io.tagpipe.bench.logcall;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.tagpipe.bench.BrokerProcess;
import io.tagpipe.testkit.TempDirs;

/**
 * Log calls while the broker is down (child JVM per appender: an alternative may leave a thread
 * blocked for {@code max.block.ms}, 60 s by default, which only a JVM exit ends). The appender
 * starts with the broker up, logs, then the broker stops; then up to {@code calls} calls are timed
 * within {@code budget} seconds. Prints one {@code RESULT} line.
 */
public final class BrokerDownProbe {
    private BrokerDownProbe() {
    }

    public static void main(String[] args) throws Exception {
        LogTarget target = LogTarget.valueOf(args[0]);
        int calls = Integer.parseInt(args[1]);
        long budgetNanos = (long) (Double.parseDouble(args[2]) * 1e9);
        Path dir = Files.createTempDirectory("tagpipe-bench-down");
        BrokerProcess broker = BrokerProcess.start(dir, "512m");
        String topic = "down-" + target.name().toLowerCase();
        BrokerProcess.createTopic(broker.bootstrapServers(), topic, 4, Map.of());
        LogTarget.Logger log = target.open(broker.bootstrapServers(), topic);
        long warm = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; System.nanoTime() < warm && i < 50_000; i++) {
            log.info("warm-up {}", i);
        }
        broker.stop();
        Thread.sleep(1000);

        GcPauses gc = GcPauses.watch();
        long[] nanos = new long[calls];
        long[] starts = new long[calls];
        AtomicInteger done = new AtomicInteger();
        long[] inCallSince = {0};
        Thread caller = new Thread(() -> {
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                inCallSince[0] = t0;
                log.info("order placed for customer c-{} total 42.50 EUR in 3 items", i);
                nanos[i] = System.nanoTime() - t0;
                starts[i] = t0;
                done.incrementAndGet();
            }
        }, "app");
        caller.setDaemon(true);
        long start = System.nanoTime();
        caller.start();
        caller.join(budgetNanos / 1_000_000);
        int n = done.get();
        boolean stuck = caller.isAlive();
        long stuckFor = stuck ? System.nanoTime() - inCallSince[0] : 0;
        // a slow call during a GC pause was held by the JVM, not by the appender waiting for Kafka
        long duringGc = 0;
        for (int i = 0; i < n; i++) {
            if (nanos[i] > 1_000_000 && gc.overlaps(starts[i], starts[i] + nanos[i])) {
                duringGc++;
            }
        }
        long[] d = Arrays.copyOf(nanos, n);
        Arrays.sort(d);
        long blocked = Arrays.stream(d).filter(x -> x > 1_000_000).count() + (stuck ? 1 : 0);
        System.out.printf("RESULT calls=%d p50=%d p99=%d max=%d blocked=%d duringGc=%d stuck=%b stuckNanos=%d elapsed=%d %s%n", n,
                n == 0 ? -1 : d[n / 2], n == 0 ? -1 : d[(int) Math.min(n - 1, (long) n * 99 / 100)], n == 0 ? -1 : d[n - 1],
                blocked, duringGc, stuck, stuckFor, System.nanoTime() - start, gc.summary());
        System.out.flush();
        TempDirs.deleteTree(dir);
        Runtime.getRuntime().halt(0); // a blocked appender thread would keep the JVM waiting
    }
}
