package io.tagpipe.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The app thread never waits for Kafka, and what is lost is counted and reported. */
@ExtendWith(RealServices.class)
class BrokerDownIT {
    private static final int CALLS = 100_000;

    @Test
    void logCallsDoNotBlockWhileTheBrokerIsDownAndDropsAreReportedAfter(KafkaBroker kafka) {
        String topic = RealServices.unique("down");
        kafka.createTopic(topic, 2);
        TagpipeSender sender = TagpipeSender.builder().bootstrapServers(kafka.bootstrapServers()).topic(topic)
                .app("outage-test").shutdownHook(false).build();
        long[] nanos = new long[CALLS];
        try {
            sender.log(Level.INFO, "it", "warm-up", null, Map.of("run", "outage"));
            assertThat(sender.flush(Duration.ofSeconds(60))).isTrue();

            kafka.stop();
            for (int i = 0; i < CALLS; i++) {
                long t0 = System.nanoTime();
                sender.log(Level.INFO, "it", "during outage " + i, null, Map.of("run", "outage"));
                nanos[i] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            System.out.printf("broker down: %d log calls, median %.2f us, p99 %.2f us, slowest %.2f ms, dropped so far %d%n",
                    CALLS, nanos[CALLS / 2] / 1e3, nanos[CALLS * 99 / 100] / 1e3, nanos[CALLS - 1] / 1e6,
                    sender.droppedCount());
            assertThat(nanos[CALLS - 1]).as("slowest call").isLessThan(Duration.ofMillis(500).toNanos());
            assertThat(sender.droppedCount()).isPositive();
        } finally {
            kafka.start();
        }

        try (TopicRecords records = new TopicRecords(kafka, topic)) {
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                List<Envelope> all = records.poll();
                long logs = all.stream().filter(Envelope::isLog).map(Envelope::id).distinct().count();
                return logs + droppedReported(all) == CALLS + 1;
            });
            assertThat(droppedReported(records.poll())).isPositive();
            assertThat(records.poll(e -> e.isMetric())).allSatisfy(m -> {
                assertThat(m.name()).isEqualTo(TagpipeSender.DROPPED_METRIC);
                assertThat(m.type()).isEqualTo("counter");
                assertThat(m.attrs()).containsKey("reason");
                assertThat(m.app()).isEqualTo("outage-test");
            });
        } finally {
            sender.close(Duration.ofSeconds(10));
        }
    }

    @Test
    void brokerDownAtStartDoesNotThrowAndRecordsArriveWhenItIsBack(KafkaBroker kafka) {
        String topic = RealServices.unique("down-at-start");
        kafka.createTopic(topic, 1);
        kafka.stop();
        TagpipeSender sender;
        try {
            long t0 = System.nanoTime();
            sender = TagpipeSender.builder().bootstrapServers(kafka.bootstrapServers()).topic(topic)
                    .app("late-broker").shutdownHook(false).build();
            for (int i = 0; i < 10; i++) {
                sender.log(Level.WARN, "it", "before the broker " + i, null, null);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        } finally {
            kafka.start();
        }
        try (TopicRecords records = new TopicRecords(kafka, topic)) {
            assertThat(sender.flush(Duration.ofSeconds(90))).isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> records.poll(Envelope::isLog).size() == 10);
            assertThat(sender.droppedCount()).isZero(); // a short outage is held, not dropped
        } finally {
            sender.close(Duration.ofSeconds(10));
        }
    }

    private static long droppedReported(List<Envelope> all) {
        return all.stream().filter(e -> e.isMetric() && TagpipeSender.DROPPED_METRIC.equals(e.name()))
                .mapToLong(e -> e.value().longValue()).sum();
    }
}
