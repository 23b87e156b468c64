package io.tagpipe.sink;

import static io.tagpipe.sink.SinkTestSupport.kept;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.EachClickHouse;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.StatsRecord;
import io.tagpipe.wire.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sink in this JVM against the real broker and each real ClickHouse: clickhouse-server 18.16 and the 26.7 engine. */
@ExtendWith(RealServices.class)
class SinkIT {
    private static final long DAY = 86_400_000L;

    /** Unique topics, group and database for one test. */
    record Names(String kept, String stats, String dlq, String group, String db) {
        static Names create(KafkaBroker kafka) {
            String id = RealServices.unique("sink");
            Names n = new Names(id + ".kept", id + ".stats", id + ".dlq", id + "-group", id);
            kafka.createTopic(n.kept, 2);
            kafka.createTopic(n.stats, 1);
            kafka.createTopic(n.dlq, 1);
            return n;
        }

        SinkConfig.Builder config(KafkaBroker kafka, ClickHouse ch) {
            return SinkConfig.builder().bootstrapServers(kafka.bootstrapServers()).clickhouseUrl(ch.url())
                    .database(db).groupId(group).keptTopics(List.of(kept)).statsTopic(stats).dlqTopic(dlq)
                    .batchMaxWait(Duration.ofMillis(200)).backoff(Duration.ofMillis(200), Duration.ofSeconds(2))
                    .insertTimeout(Duration.ofSeconds(10));
        }
    }

    @EachClickHouse
    void rowsLandWithTheRightColumns(KafkaBroker kafka, ClickHouse ch) throws Exception {
        Names n = Names.create(kafka);
        long now = System.currentTimeMillis();
        Envelope log = kept("log-1", "billing", now - 1000, 14);
        Envelope metric = Envelope.metric("m-1", "billing", now).name("orders").value(3.5).unit("1").type("counter")
                .attrs(Map.of("k", "v")).build();                       // no policy fields: defaults apply
        Envelope ancient = kept("old-1", "billing", 1000L, 14);          // 1970: clamped, original kept
        Dialect d = Dialect.forVersion(ch.version());
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers());
             Sink sink = Sink.start(n.config(kafka, ch).build(), Clock.systemUTC())) {
            SinkTestSupport.send(p, n.kept, List.of(log, metric, ancient));
            SinkTestSupport.sendRaw(p, n.stats, "billing",
                    new StatsRecord("billing", "log", "DEBUG", StatsRecord.SAMPLED, StatsRecord.minuteOf(now), 42).encode());
            SinkTestSupport.sendRaw(p, n.kept, "billing", "{broken".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(90)).until(() -> count(ch, n.db + ".logs") == 2
                    && count(ch, n.db + ".metrics") == 1 && count(ch, n.db + ".ingest_stats") == 1);
        }
        String keys = d == Dialect.LEGACY ? "`attrs.key`" : "mapKeys(attrs)";
        String values = d == Dialect.LEGACY ? "`attrs.value`" : "mapValues(attrs)";
        // legacy keeps seconds in ts (millis in ts_ms); current keeps the millis in ts too
        String sameTime = d == Dialect.LEGACY ? "toUInt64(ts) = intDiv(ts_ms, 1000)" : "toUnixTimestamp64Milli(ts) = ts_ms";
        assertThat(ch.query("SELECT app, host, level, message, arrayStringConcat(" + keys + ", ','), "
                + "arrayStringConcat(" + values + ", ','), sample_rate, retention_days, importance, kafka_topic, "
                + sameTime + ", ts_ms FROM " + n.db + ".logs WHERE id = 'log-1'").trim())
                .isEqualTo(String.join("\t", "billing", "h1", "INFO", "charged order log-1",
                        String.join(",", log.attrs().keySet()), String.join(",", log.attrs().values()),
                        "0.5", "14", "high", n.kept, "1", Long.toString(log.ts())));
        // clamped inside its 14-day retention (a current server's TTL would drop it at insert otherwise)
        assertThat(ch.query("SELECT ts_ms, toUnixTimestamp(ts) * 1000 > " + (now - 14 * DAY) + " FROM " + n.db
                + ".logs WHERE id = 'old-1'").trim()).isEqualTo("1000\t1");
        if (d == Dialect.CURRENT) {
            assertThat(ch.query("SELECT attrs['order'], toTypeName(ts), toTypeName(app), toTypeName(attrs) FROM "
                    + n.db + ".logs WHERE id = 'log-1'").trim()).isEqualTo(
                    "log-1\tDateTime64(3)\tLowCardinality(String)\tMap(String, String)");
        }
        assertThat(ch.query("SELECT name, value, sample_rate, retention_days, importance FROM " + n.db + ".metrics").trim())
                .isEqualTo("orders\t3.5\t1\t30\tnormal");
        assertThat(ch.query("SELECT app, reason, count FROM " + n.db + ".ingest_stats").trim())
                .isEqualTo("billing\tsampled\t42");
        var dlq = SinkTestSupport.readAll(kafka.bootstrapServers(), n.dlq, 1, Duration.ofSeconds(30));
        assertThat(dlq).singleElement().satisfies(r -> {
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{broken");
            assertThat(SinkTestSupport.header(r, Topics.DLQ_REASON_HEADER)).startsWith("malformed_json");
            assertThat(SinkTestSupport.header(r, Topics.DLQ_SOURCE_TOPIC_HEADER)).isEqualTo(n.kept);
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> SinkTestSupport.lag(kafka.bootstrapServers(), n.group, n.kept) == 0);
    }

    @EachClickHouse
    void rejectedRowGoesToTheDlqWhileTheRestIsWritten(KafkaBroker kafka, ClickHouse ch) throws Exception {
        Names n = Names.create(kafka);
        // a server-side guard refuses one row: the sink's RowBinary itself cannot be malformed
        ch.query("CREATE DATABASE " + n.db);
        ch.query(Table.LOGS.ddl(n.db, Dialect.forVersion(ch.version())));
        ch.query("ALTER TABLE " + n.db + ".logs ADD COLUMN guard UInt8 MATERIALIZED throwIf(message = 'poison')");
        long now = System.currentTimeMillis();
        List<Envelope> records = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Envelope e = kept("r-" + i, "billing", now, 30);
            records.add(i == 250 ? Envelope.log("r-250", "billing", now).message("poison").build() : e);
        }
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers());
             Sink sink = Sink.start(n.config(kafka, ch).build(), Clock.systemUTC())) {
            SinkTestSupport.send(p, n.kept, records);
            await().atMost(Duration.ofSeconds(90)).until(() -> count(ch, n.db + ".logs") == 499);
            await().atMost(Duration.ofSeconds(30)).until(() -> SinkTestSupport.lag(kafka.bootstrapServers(), n.group, n.kept) == 0);
        }
        assertThat(ch.queryLong("SELECT count() FROM " + n.db + ".logs WHERE id = 'r-250'")).isZero();
        var dlq = SinkTestSupport.readAll(kafka.bootstrapServers(), n.dlq, 1, Duration.ofSeconds(30));
        assertThat(dlq).singleElement().satisfies(r -> {
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("\"id\":\"r-250\"");
            assertThat(SinkTestSupport.header(r, Topics.DLQ_REASON_HEADER)).startsWith("clickhouse_rejected").contains("throwIf");
        });
    }

    @EachClickHouse
    void clickHouseDownForTwentySecondsLosesNothingAndDuplicatesNothing(KafkaBroker kafka, ClickHouse ch)
            throws Exception {
        Names n = Names.create(kafka);
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers());
             Sink sink = Sink.start(n.config(kafka, ch).batchRows(2000).build(), Clock.systemUTC())) {
            SinkTestSupport.send(p, n.kept, envelopes("a", 0, 20_000, now));
            await().atMost(Duration.ofSeconds(90)).until(() -> count(ch, n.db + ".logs") > 0);
            ch.stop();
            SinkTestSupport.send(p, n.kept, envelopes("b", 0, 20_000, now));
            await().atMost(Duration.ofSeconds(60)).until(sink::isPaused);
            long lagWhileDown = SinkTestSupport.lag(kafka.bootstrapServers(), n.group, n.kept);
            // stays paused for the whole outage: no busy loop, no early commit
            await().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(25)).until(sink::isPaused);
            assertThat(SinkTestSupport.lag(kafka.bootstrapServers(), n.group, n.kept)).isEqualTo(lagWhileDown).isPositive();
            ch.start();
            await().atMost(Duration.ofSeconds(120)).until(() -> count(ch, n.db + ".logs") >= 40_000 && !sink.isPaused());
            await().atMost(Duration.ofSeconds(30)).until(() -> SinkTestSupport.lag(kafka.bootstrapServers(), n.group, n.kept) == 0);
        }
        assertThat(ch.query("SELECT count(), uniqExact(id) FROM " + n.db + ".logs").trim()).isEqualTo("40000\t40000");
    }

    @EachClickHouse
    void retentionDropsExpiredPartitionsAndDeletesAShortenedAppsRows(KafkaBroker kafka, ClickHouse ch)
            throws Exception {
        Names n = Names.create(kafka);
        long now = System.currentTimeMillis();
        List<Envelope> records = new ArrayList<>();
        records.add(kept("seven-1", "weekly", now - 6 * DAY, 7));       // partition (7, day-6), expires in 2 days
        records.add(kept("month-1", "monthly", now - 2 * DAY, 30));     // lives on
        records.add(kept("short-old", "shortened", now - 10 * DAY, 30)); // written under the old 30-day policy
        records.add(kept("short-new", "shortened", now, 3));            // newest row: policy is now 3 days
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers());
             Sink sink = Sink.start(n.config(kafka, ch).build(), Clock.systemUTC())) {
            SinkTestSupport.send(p, n.kept, records);
            await().atMost(Duration.ofSeconds(90)).until(() -> count(ch, n.db + ".logs") == 4);
        }
        try (ClickHouseStore store = new ClickHouseStore(ch.url(), "default", "", n.db, Duration.ofSeconds(30))) {
            RetentionJob.Result today = new RetentionJob(store, Clock.systemUTC()).runOnce();
            assertThat(today.droppedPartitions()).isEmpty();
            assertThat(today.deletions()).singleElement().asString().contains("app=shortened");
            await().atMost(Duration.ofSeconds(60)).until(() -> ids(ch, n.db).equals("month-1,seven-1,short-new"));

            Clock inThreeDays = Clock.offset(Clock.systemUTC(), Duration.ofDays(3));
            RetentionJob.Result later = new RetentionJob(store, inThreeDays).runOnce();
            assertThat(later.droppedPartitions()).singleElement().asString().startsWith("logs (7, ");
            assertThat(ids(ch, n.db)).isEqualTo("month-1,short-new");
            assertThat(ch.queryLong("SELECT count() FROM system.parts WHERE database = '" + n.db
                    + "' AND table = 'logs' AND active AND partition LIKE '(7,%'")).isZero();
        }
    }

    @EachClickHouse
    void purgeDeletesOneAppEvenWithAHostileLabel(KafkaBroker kafka, ClickHouse ch) throws Exception {
        Names n = Names.create(kafka);
        String hostile = "o'hara\\'); DROP TABLE x; --\"";
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers());
             Sink sink = Sink.start(n.config(kafka, ch).build(), Clock.systemUTC())) {
            // stats keys are not normalised by the codec: a hostile label can really reach the tables
            for (String app : List.of(hostile, "innocent")) {
                SinkTestSupport.sendRaw(p, n.stats, app,
                        new StatsRecord(app, "log", "INFO", StatsRecord.KEPT, StatsRecord.minuteOf(now), 7).encode());
            }
            SinkTestSupport.send(p, n.kept, List.of(kept("inn-1", "innocent", now, 30)));
            await().atMost(Duration.ofSeconds(90)).until(() -> count(ch, n.db + ".ingest_stats") == 2
                    && count(ch, n.db + ".logs") == 1);
        }
        try (ClickHouseStore store = new ClickHouseStore(ch.url(), "default", "", n.db, Duration.ofSeconds(30))) {
            assertThat(store.queryRows("SELECT app FROM " + n.db + ".ingest_stats ORDER BY app")).extracting(r -> r[0])
                    .containsExactly("innocent", hostile);
            long purged = new RetentionJob(store, Clock.systemUTC()).purge(hostile, Duration.ofSeconds(60));
            assertThat(purged).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> count(ch, n.db + ".ingest_stats") == 1);
        assertThat(ch.query("SELECT app FROM " + n.db + ".ingest_stats").trim()).isEqualTo("innocent");
        assertThat(count(ch, n.db + ".logs")).isEqualTo(1);
    }

    static List<Envelope> envelopes(String prefix, int from, int to, long ts) {
        List<Envelope> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(kept(prefix + "-" + i, "app-" + (i % 5), ts, 30));
        }
        return out;
    }

    static long count(ClickHouse ch, String table) {
        try {
            return ch.queryLong("SELECT count() FROM " + table);
        } catch (RuntimeException e) {
            return -1; // table not created yet, or the server is restarting
        }
    }

    private static String ids(ClickHouse ch, String db) {
        return ch.query("SELECT arrayStringConcat(groupArray(id), ',') FROM (SELECT id FROM " + db
                + ".logs ORDER BY id)").trim();
    }
}
