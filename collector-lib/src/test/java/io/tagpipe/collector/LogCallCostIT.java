package io.tagpipe.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cost of one log call against the real broker; a measurement, not a test of speed.
 * Run: {@code mvn verify -pl collector-lib -am -Dit.test=LogCallCostIT -Dtagpipe.bench=true}.
 */
@ExtendWith(RealServices.class)
@EnabledIfSystemProperty(named = "tagpipe.bench", matches = "true")
class LogCallCostIT {
    @Test
    void measureLogCall(KafkaBroker kafka) {
        String topic = RealServices.unique("bench");
        kafka.createTopic(topic, 4);
        int n = Integer.getInteger("tagpipe.bench.calls", 200_000);
        try (TagpipeSender sender = TagpipeSender.builder().bootstrapServers(kafka.bootstrapServers()).topic(topic)
                .app("bench").queueCapacity(65_536).shutdownHook(false).build()) {
            Map<String, String> mdc = Map.of("user", "u-1", "request", "r-1");
            for (int i = 0; i < 50_000; i++) { // warm-up
                sender.log(Level.INFO, "bench", "warm-up " + i, null, mdc);
            }
            sender.flush(Duration.ofSeconds(60));
            long[] nanos = new long[n];
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                sender.log(Level.INFO, "bench", "order placed " + i, null, mdc);
                nanos[i] = System.nanoTime() - t0;
            }
            long total = System.nanoTime() - start;
            boolean flushed = sender.flush(Duration.ofSeconds(120));
            long drained = System.nanoTime() - start;
            Arrays.sort(nanos);
            System.out.printf("log call cost: %d calls, %.0f ns/op, median %.2f us, p99 %.2f us, max %.2f ms; "
                            + "all delivered in %.2f s (%.0f rec/s), dropped %d%n", n, (double) total / n,
                    nanos[n / 2] / 1e3, nanos[n * 99 / 100] / 1e3, nanos[n - 1] / 1e6, drained / 1e9,
                    n / (drained / 1e9), sender.droppedCount());
            assertThat(flushed).isTrue();
        }
    }
}
