package io.tagpipe.dev.demo;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;

import io.tagpipe.sink.Sink;
import io.tagpipe.sink.SinkConfig;
import io.tagpipe.sink.pressure.Ladder;
import io.tagpipe.sink.pressure.PressureRules;

/** The sink, in the demo's JVM, with batches small enough in time for a short run to show rows early. */
final class DemoSink {
    private DemoSink() {
    }

    /** The sink's group id: also the key of its level on the pressure topic. */
    static final String GROUP = "tagpipe-demo-sink";
    /**
     * Thresholds for a demo of minutes (production defaults: insert latency 2/5/15/30 s, backlog age
     * 1/5/15/30 min, calm 30 s, hold 20 s): the same rules on a shorter scale.
     */
    static final PressureRules PRESSURE = PressureRules.defaults()
            .withInsertLatencyMs(Ladder.rising(1_000, 2_000, 4_000, 8_000))
            .withBacklogAgeMs(Ladder.rising(5_000, 10_000, 20_000, 40_000))
            .withTiming(Duration.ofSeconds(5), Duration.ofSeconds(5));

    /** {@code cluster}: the ClickHouse cluster to write to in the sink's cluster layout; null = one server. */
    static AutoCloseable start(String bootstrap, String clickhouseUrl, String cluster, DemoSettings s, PrintWriter out) throws Exception {
        SinkConfig config = SinkConfig.builder().bootstrapServers(bootstrap).clickhouseUrl(clickhouseUrl).clickhouseCluster(cluster)
                .clickhouseUser(s.clickhouseUser()).clickhousePassword(s.clickhousePassword()).database(s.database())
                .groupId(GROUP).batchMaxWait(Duration.ofMillis(500))
                .pressurePeriod(Duration.ofSeconds(1)).pressureRules(PRESSURE).build();
        Sink sink = Sink.start(config, Clock.systemUTC());
        sink.startupSummary().forEach(line -> out.println("  " + line));
        out.println("  pressure thresholds shortened for a demo of minutes: insert latency 1/2/4/8 s, backlog age "
                + "5/10/20/40 s, calm 5 s, hold 5 s (production defaults: 2/5/15/30 s, 1/5/15/30 min, 30 s, 20 s)");
        return sink;
    }
}
