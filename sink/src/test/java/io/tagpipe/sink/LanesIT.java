package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.EachClickHouse;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.policy.Importance;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Priority lanes on each real ClickHouse (18.16 and the 26.7 engine) and the real broker: a large
 * low-lane backlog and a few critical records wait in Kafka, then the sink starts. Insert order is
 * read from ClickHouse itself: every insert writes new parts whose block numbers grow with each
 * insert (table-wide), and merges only join parts of one partition, so a row's part name bounds
 * when it was inserted. Critical and low rows have different retentions, hence different
 * partitions: they never share a part. With the lanes drained in order, every low row's part
 * starts after the last critical row's part ends. The same records through a sink without lane
 * order (its own group and database) give the contrast, printed, not asserted.
 */
@ExtendWith(RealServices.class)
class LanesIT {
    private static final int LOW = 60_000;
    private static final int CRITICAL = 2_000;

    @EachClickHouse
    void theCriticalLaneIsStoredBeforeAnyRowOfALargeLowBacklog_exactlyOnce(KafkaBroker kafka, ClickHouse ch) throws Exception {
        String id = RealServices.unique("lanes");
        ProcessorTopics topics = ProcessorTopics.prefixed(id + ".");
        for (String lane : topics.lanes()) {
            kafka.createTopic(lane, 2);
        }
        kafka.createTopic(topics.stats(), 1);
        kafka.createTopic(topics.dlq(), 1);
        long now = System.currentTimeMillis();
        List<Envelope> low = new ArrayList<>();
        for (int i = 0; i < LOW; i++) {
            low.add(kept("low-" + i, "flood", now - i, 7, Importance.LOW));
        }
        List<Envelope> critical = new ArrayList<>();
        for (int i = 0; i < CRITICAL; i++) {
            critical.add(kept("crit-" + i, "payments", now - i, 90, Importance.CRITICAL));
        }
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers())) {
            SinkTestSupport.send(p, topics.lane(Importance.LOW), low); // the backlog was there first
            SinkTestSupport.send(p, topics.lane(Importance.CRITICAL), critical);
        }

        Order gated = drain(kafka, ch, topics, id + "_gated", true);
        Order ungated = drain(kafka, ch, topics, id + "_ungated", false);

        System.out.printf("lanes on %s: low rows inserted before the last critical row: %d with lane order, "
                + "%d without (of %d low, %d critical)%n", ch.name(), gated.lowBeforeLastCritical(),
                ungated.lowBeforeLastCritical(), LOW, CRITICAL);
        assertThat(gated.firstLowBlock()).as("first block holding a low row").isGreaterThan(gated.lastCriticalBlock());
        assertThat(gated.lowBeforeLastCritical()).isZero();
    }

    /** Runs a sink over every lane into its own database until all is stored; checks exactly once; reads the insert order. */
    private static Order drain(KafkaBroker kafka, ClickHouse ch, ProcessorTopics topics, String db, boolean laneOrder)
            throws Exception {
        SinkConfig config = SinkConfig.builder().bootstrapServers(kafka.bootstrapServers()).clickhouseUrl(ch.url())
                .database(db).groupId(db).keptTopics(topics.lanes()).statsTopic(topics.stats()).dlqTopic(topics.dlq())
                .pressureTopic(topics.pressure()).laneOrder(laneOrder)
                .batchMaxWait(Duration.ofMillis(200)).insertTimeout(Duration.ofSeconds(30)).build();
        try (Sink sink = Sink.start(config, Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(240)).until(() -> SinkIT.count(ch, db + ".logs") >= LOW + CRITICAL);
        }
        String logs = db + ".logs";
        assertThat(ch.queryLong("SELECT count() FROM " + logs)).isEqualTo(LOW + CRITICAL);
        assertThat(ch.queryLong("SELECT uniqExact(id) FROM " + logs)).isEqualTo(LOW + CRITICAL);
        assertThat(ch.queryLong("SELECT count() FROM " + logs + " WHERE kafka_topic = '"
                + topics.lane(Importance.CRITICAL) + "'")).isEqualTo(CRITICAL);
        return Order.read(ch, logs, topics.lane(Importance.CRITICAL), topics.lane(Importance.LOW));
    }

    /** Per lane, the block range of its parts and how many low rows lie in parts wholly before the last critical block. */
    record Order(long lastCriticalBlock, long firstLowBlock, long lowBeforeLastCritical) {
        static Order read(ClickHouse ch, String table, String criticalTopic, String lowTopic) {
            long lastCritical = -1;
            long firstLow = Long.MAX_VALUE;
            Map<String, Long> lowRowsPerPart = new HashMap<>();
            for (String line : ch.query("SELECT kafka_topic, _part, count() FROM " + table
                    + " GROUP BY kafka_topic, _part").strip().split("\n")) {
                String[] f = line.split("\t");
                String[] part = f[1].split("_"); // <partition id>_<min block>_<max block>_<level>[_<mutation>]
                long min = Long.parseLong(part[1]);
                long max = Long.parseLong(part[2]);
                if (f[0].equals(criticalTopic)) {
                    lastCritical = Math.max(lastCritical, max);
                } else if (f[0].equals(lowTopic)) {
                    firstLow = Math.min(firstLow, min);
                    lowRowsPerPart.put(f[1], Long.parseLong(f[2]));
                }
            }
            long before = 0;
            for (var e : lowRowsPerPart.entrySet()) {
                if (Long.parseLong(e.getKey().split("_")[2]) < lastCritical) {
                    before += e.getValue();
                }
            }
            return new Order(lastCritical, firstLow, before);
        }
    }

    private static Envelope kept(String id, String app, long ts, int retentionDays, Importance importance) {
        return Envelope.log(id, app, ts).host("h1").level("INFO").logger("com.acme.Flood").thread("main")
                .message("record " + id).build().withPolicy(1.0, retentionDays, importance.label());
    }
}
