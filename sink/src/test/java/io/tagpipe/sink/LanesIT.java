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
 * low-lane backlog and critical records (several fetches' worth) wait in Kafka, then the sink starts. Insert order is
 * read from ClickHouse itself: every insert writes new parts whose block numbers grow with each
 * insert (table-wide), and merges are stopped, so a row's part name says which insert wrote it.
 * Critical and low rows have different retentions, hence different partitions: they never share a part. With the lanes drained in order, every low row's part
 * starts after the last critical row's part ends. The same records through a sink without lane
 * order (its own group and database) give the contrast, printed, not asserted.
 */
@ExtendWith(RealServices.class)
class LanesIT {
    private static final int LOW = 40_000;
    private static final int NORMAL = 20_000;
    /** More than one fetch (1 MiB per partition) and one batch hold: without the gate, low rows come along. */
    private static final int CRITICAL = 20_000;

    @EachClickHouse
    void theCriticalLaneIsStoredBeforeAnyRowOfALargeLowerBacklog_exactlyOnce(KafkaBroker kafka, ClickHouse ch) throws Exception {
        String id = RealServices.unique("lanes");
        ProcessorTopics topics = ProcessorTopics.prefixed(id + ".");
        for (String lane : topics.lanes()) {
            kafka.createTopic(lane, 2);
        }
        kafka.createTopic(topics.stats(), 1);
        kafka.createTopic(topics.dlq(), 1);
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers())) {
            // the backlog was there first; the normal lane's topic name sorts before the critical one's
            SinkTestSupport.send(p, topics.lane(Importance.LOW), records("low", "flood", LOW, now, 7, Importance.LOW));
            SinkTestSupport.send(p, topics.lane(Importance.NORMAL), records("normal", "feed", NORMAL, now, 30, Importance.NORMAL));
            SinkTestSupport.send(p, topics.lane(Importance.CRITICAL),
                    records("crit", "payments", CRITICAL, now, 90, Importance.CRITICAL));
        }

        Order gated = drain(kafka, ch, topics, id + "_gated", true);
        Order ungated = drain(kafka, ch, topics, id + "_ungated", false);

        System.out.printf("lanes on %s: lower-lane rows inserted before the last critical row: %d with lane order, "
                + "%d without (of %d low + %d normal, %d critical); with %s, without %s%n", ch.name(),
                gated.lowerBeforeLastCritical(), ungated.lowerBeforeLastCritical(), LOW, NORMAL, CRITICAL, gated, ungated);
        assertThat(gated.firstLowerBlock()).as("first insert holding a lower-lane row").isGreaterThan(gated.lastCriticalBlock());
        assertThat(gated.lowerBeforeLastCritical()).isZero();
    }

    /** Runs a sink over every lane into its own database until all is stored; checks exactly once; reads the insert order. */
    private static Order drain(KafkaBroker kafka, ClickHouse ch, ProcessorTopics topics, String db, boolean laneOrder)
            throws Exception {
        SinkConfig config = SinkConfig.builder().bootstrapServers(kafka.bootstrapServers()).clickhouseUrl(ch.url())
                .database(db).groupId(db).keptTopics(topics.lanes()).statsTopic(topics.stats()).dlqTopic(topics.dlq())
                .pressureTopic(topics.pressure()).laneOrder(laneOrder)
                .batchRows(5_000).batchMinRows(5_000) // the critical rows take several batches
                .batchMaxWait(Duration.ofMillis(200)).insertTimeout(Duration.ofSeconds(30)).build();
        ServerGuardsIT.createSchema(ch, db);
        ch.query("SYSTEM STOP MERGES " + db + ".logs"); // each part stays one insert: its block number is its insert's
        int total = LOW + NORMAL + CRITICAL;
        try (Sink sink = Sink.start(config, Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(240)).until(() -> SinkIT.count(ch, db + ".logs") >= total);
        }
        String logs = db + ".logs";
        assertThat(ch.queryLong("SELECT count() FROM " + logs)).isEqualTo(total);
        assertThat(ch.queryLong("SELECT uniqExact(id) FROM " + logs)).isEqualTo(total);
        assertThat(ch.queryLong("SELECT count() FROM " + logs + " WHERE kafka_topic = '"
                + topics.lane(Importance.CRITICAL) + "'")).isEqualTo(CRITICAL);
        return Order.read(ch, logs, topics.lane(Importance.CRITICAL));
    }

    /**
     * The last insert holding a critical row, the first holding a row of another lane, and how many
     * rows of other lanes were inserted before that last critical insert.
     */
    record Order(long lastCriticalBlock, long firstLowerBlock, long lowerBeforeLastCritical) {
        static Order read(ClickHouse ch, String table, String criticalTopic) {
            long lastCritical = -1;
            long firstLower = Long.MAX_VALUE;
            Map<Long, Long> lowerRowsPerBlock = new HashMap<>();
            for (String line : ch.query("SELECT kafka_topic, _part, count() FROM " + table
                    + " GROUP BY kafka_topic, _part").strip().split("\n")) {
                String[] f = line.split("\t");
                String[] part = f[1].split("_"); // <partition id>_<min block>_<max block>_<level>: min = max, no merges
                long block = Long.parseLong(part[1]);
                if (f[0].equals(criticalTopic)) {
                    lastCritical = Math.max(lastCritical, block);
                } else {
                    firstLower = Math.min(firstLower, block);
                    lowerRowsPerBlock.merge(block, Long.parseLong(f[2]), Long::sum);
                }
            }
            long last = lastCritical;
            long before = lowerRowsPerBlock.entrySet().stream().filter(e -> e.getKey() < last).mapToLong(Map.Entry::getValue).sum();
            return new Order(lastCritical, firstLower, before);
        }
    }

    private static List<Envelope> records(String prefix, String app, int n, long now, int retentionDays, Importance importance) {
        List<Envelope> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(kept(prefix + "-" + i, app, now - i, retentionDays, importance));
        }
        return out;
    }

    private static Envelope kept(String id, String app, long ts, int retentionDays, Importance importance) {
        return Envelope.log(id, app, ts).host("h1").level("INFO").logger("com.acme.Flood").thread("main")
                .message("record " + id).build().withPolicy(1.0, retentionDays, importance.label());
    }
}
