package io.tagpipe.sink;

import static io.tagpipe.sink.SinkTestSupport.kept;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import io.tagpipe.testkit.ChdbEngine;
import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.EachClickHouse;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ClickHouse's own guards on each real ClickHouse (18.16 and the 26.7 engine) and the real broker:
 * partitions per insert, and a consumer group that has no committed offsets over rows already
 * stored. (SIGKILL of the server mid-insert: {@link ServerCrashIT}.)
 */
@ExtendWith(RealServices.class)
class ServerGuardsIT {
    private static final long DAY = 86_400_000L;

    @EachClickHouse
    void oneAppsRecordsOver150DaysAreStoredExactlyOnceOnePartitionPerInsert(KafkaBroker kafka, ClickHouse ch)
            throws Exception {
        SinkIT.Names n = SinkIT.Names.create(kafka);
        createSchema(ch, n.db());
        // Current servers refuse an insert block of more than max_partitions_per_insert_block (100)
        // partitions. 18.16 has no such setting, so here a column records whether its insert block
        // held rows of another partition: runningDifference is computed over the whole block.
        boolean serverHasTheLimit = ch.queryLong(
                "SELECT count() FROM system.settings WHERE name = 'max_partitions_per_insert_block'") == 1;
        if (serverHasTheLimit) {
            // the guard is live: one INSERT over 150 days is refused, so only per-partition inserts pass
            assertThatThrownBy(() -> ch.query("INSERT INTO " + n.db() + ".logs (ts, ts_ms, id, app, retention_days) "
                    + "SELECT now() - number * 86400, 0, 'probe', 'probe', 400 FROM numbers(150)"))
                    .hasMessageContaining("Code: 252").hasMessageContaining("partitions");
        } else {
            ch.query("ALTER TABLE " + n.db() + ".logs ADD COLUMN mixed_block UInt8 MATERIALIZED "
                    + "runningDifference(toUInt64(retention_days) * 100000000 + toYYYYMMDD(ts)) != 0");
        }
        long now = System.currentTimeMillis();
        List<Envelope> records = new ArrayList<>();
        for (int i = 0; i < 150 * 20; i++) {
            records.add(kept("d-" + i, "backfill", now - (i % 150) * DAY - i, 400)); // every day in every poll
        }
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers());
             Sink sink = Sink.start(n.config(kafka, ch).batchMinRows(50_000).build(), Clock.systemUTC())) {
            SinkTestSupport.send(p, n.kept(), records);
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> SinkTestSupport.lag(kafka.bootstrapServers(), n.group(), n.kept()) == 0);
        }
        assertExactly(ch, n.db(), records.size());
        ZoneId zone = ZoneId.of(ch.query("SELECT timezone()").trim());
        Set<RetentionPlan.PartitionKey> expected = records.stream().map(e -> new RetentionPlan.PartitionKey(400,
                LocalDate.ofInstant(Instant.ofEpochMilli(e.ts()), zone))).collect(Collectors.toSet());
        assertThat(expected).hasSize(150);
        assertThat(serverPartitions(ch, n.db())).isEqualTo(expected);
        if (!serverHasTheLimit) {
            assertThat(ch.queryLong("SELECT countIf(mixed_block) FROM " + n.db() + ".logs"))
                    .as("rows inserted in a block that spanned several partitions").isZero();
        }
        assertThat(endOffset(kafka, n.dlq())).isZero();
    }

    @EachClickHouse
    void aNewGroupOverStoredRowsWritesOnlyWhatIsMissing(KafkaBroker kafka, ClickHouse ch) throws Exception {
        SinkIT.Names n = SinkIT.Names.create(kafka);
        long now = System.currentTimeMillis();
        List<Envelope> first = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            first.add(kept("f-" + i, "app", now - (i % 7) * DAY, 30));
        }
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers())) {
            try (Sink sink = Sink.start(n.config(kafka, ch).build(), Clock.systemUTC())) {
                SinkTestSupport.send(p, n.kept(), first);
                await().atMost(Duration.ofSeconds(90)).until(() -> SinkIT.count(ch, n.db() + ".logs") == first.size());
            }
            // holes in what is stored, as a lost insert would leave them; the new group has no offsets
            long holes = ch.queryLong("SELECT count() FROM " + n.db() + ".logs WHERE kafka_offset % 97 = 5");
            assertThat(holes).isPositive();
            ch.query("ALTER TABLE " + n.db() + ".logs DELETE WHERE kafka_offset % 97 = 5");
            await().atMost(Duration.ofSeconds(60)).until(() -> SinkIT.count(ch, n.db() + ".logs") == first.size() - holes);
            List<Envelope> second = List.of(kept("s-1", "app", now, 30), kept("s-2", "app", now - 3 * DAY, 30));
            SinkTestSupport.send(p, n.kept(), second);
            String newGroup = n.group() + "-new";
            try (Sink sink = Sink.start(n.config(kafka, ch).groupId(newGroup).build(), Clock.systemUTC())) {
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> SinkTestSupport.lag(kafka.bootstrapServers(), newGroup, n.kept()) == 0);
            }
        }
        assertExactly(ch, n.db(), 5002);
    }

    /**
     * "Too many parts" (Code 252, like the partition limit) means: merges are behind, back off. Here
     * the table allows 1 active part per partition and merges are stopped, so the sink must pause
     * (not dead-letter, not stop); once merges run again it resumes and stores everything once.
     * Current servers only: 18.16 cannot change a table's MergeTree settings.
     */
    @Test
    void tooManyPartsPausesTheSinkUntilMergesCatchUp(KafkaBroker kafka, ChdbEngine ch) throws Exception {
        SinkIT.Names n = SinkIT.Names.create(kafka);
        createSchema(ch, n.db());
        String logs = n.db() + ".logs";
        ch.query("ALTER TABLE " + logs + " MODIFY SETTING parts_to_throw_insert = 1, parts_to_delay_insert = 1, "
                + "max_delay_to_insert = 1");
        ch.query("SYSTEM STOP MERGES " + logs);
        long now = System.currentTimeMillis();
        List<Envelope> records = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {  // more than one poll, so more than one insert into one partition
            records.add(kept("p-" + i, "chatty", now, 30));
        }
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers());
             Sink sink = Sink.start(n.config(kafka, ch).batchRows(1000).batchMinRows(1000).build(), Clock.systemUTC())) {
            SinkTestSupport.send(p, n.kept(), records);
            await().atMost(Duration.ofSeconds(60)).until(sink::isPaused);
            // parts are not merged, so each insert that went through is still one part
            assertThat(ch.queryLong("SELECT count() FROM system.parts WHERE active AND database = '" + n.db()
                    + "' AND table = 'logs'")).isEqualTo(1);
            long whilePaused = SinkIT.count(ch, logs);
            assertThat(whilePaused).isLessThan(records.size());
            assertThat(endOffset(kafka, n.dlq())).as("too many parts is not bad data").isZero();
            ch.query("SYSTEM START MERGES " + logs);
            ch.query("ALTER TABLE " + logs + " RESET SETTING parts_to_throw_insert, parts_to_delay_insert, max_delay_to_insert");
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> SinkTestSupport.lag(kafka.bootstrapServers(), n.group(), n.kept()) == 0);
        }
        assertExactly(ch, n.db(), records.size());
        assertThat(endOffset(kafka, n.dlq())).isZero();
    }

    static void assertExactly(ClickHouse ch, String db, long sent) {
        String[] r = ch.query("SELECT count(), uniqExact(id) FROM " + db + ".logs").trim().split("\t");
        long count = Long.parseLong(r[0]);
        long distinct = Long.parseLong(r[1]);
        assertThat(sent - distinct).as("lost").isZero();
        assertThat(count - distinct).as("duplicated").isZero();
    }

    static void createSchema(ClickHouse ch, String db) throws Exception {
        try (ClickHouseStore store = new ClickHouseStore(ch.url(), "default", "", db, Duration.ofSeconds(30))) {
            store.ensureSchema();
        }
    }

    private static Set<RetentionPlan.PartitionKey> serverPartitions(ClickHouse ch, String db) {
        return ch.query("SELECT DISTINCT partition FROM system.parts WHERE active AND database = '" + db
                        + "' AND table = 'logs'").lines()
                .map(p -> RetentionPlan.parse(p).orElseThrow()).collect(Collectors.toSet());
    }

    static long endOffset(KafkaBroker kafka, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<TopicPartition, Long> ends = c.endOffsets(tps);
            return ends.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
