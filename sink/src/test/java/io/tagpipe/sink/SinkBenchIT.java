package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.EachClickHouse;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Throughput, not a correctness test (disabled unless {@code -Dtagpipe.bench=true}): 1M kept records
 * drained by the sink into each ClickHouse (18.16 and the 26.7 engine); and, on 18.16, drained by the
 * sink, then the same topic by ClickHouse's own Kafka engine + materialized view into a table of the
 * same shape. Prints rows/s.
 */
@ExtendWith(RealServices.class)
@EnabledIfSystemProperty(named = "tagpipe.bench", matches = "true")
class SinkBenchIT {
    private static final int RECORDS = Integer.getInteger("tagpipe.bench.records", 1_000_000);

    /** The same drain on 18.16 and on the 26.7 engine (an in-process engine behind a loopback front, not a server). */
    @EachClickHouse
    void sinkOnEachClickHouse(KafkaBroker kafka, ClickHouse ch) throws Exception {
        SinkIT.Names n = SinkIT.Names.create(kafka);
        String topic = produce(kafka, n);
        drainWithTheSink(kafka, ch, n, topic, "tagpipe sink into " + ch.name());
    }

    @Test
    void sinkVersusKafkaEngine(KafkaBroker kafka, ClickHouseServer ch) throws Exception {
        SinkIT.Names n = SinkIT.Names.create(kafka);
        String topic = produce(kafka, n);
        drainWithTheSink(kafka, ch, n, topic, "tagpipe sink (RowBinary, 50k batches)");

        String kdb = n.db() + "_kafka_engine";
        try (ClickHouseStore store = new ClickHouseStore(ch.url(), "default", "", kdb, Duration.ofSeconds(60))) {
            store.ensureSchema();
        }
        ch.query("CREATE TABLE " + kdb + ".kq (v UInt8, id String, app String, kind String, ts UInt64, host String,"
                + " level String, logger String, thread String, message String, sample_rate Float64,"
                + " retention_days UInt16, importance String) ENGINE = Kafka SETTINGS kafka_broker_list = '"
                + kafka.bootstrapServers() + "', kafka_topic_list = '" + topic + "', kafka_group_name = '" + kdb
                + "', kafka_format = 'JSONEachRow', kafka_num_consumers = 1");
        long t0 = System.nanoTime();
        // 18.16 resolves `ts` inside the view to the output alias: qualify the source column. Good
        // enough for throughput; ts_ms loses its milliseconds on this path.
        ch.query("CREATE MATERIALIZED VIEW " + kdb + ".mv TO " + kdb + ".logs AS SELECT toDateTime(intDiv(kq.ts, 1000)) AS ts,"
                + " toInt64(kq.ts) AS ts_ms, id, app, '' AS app_source, host, level, logger, thread, message, '' AS exception,"
                + " '' AS trace_id, '' AS span_id, emptyArrayString() AS `attrs.key`, emptyArrayString() AS `attrs.value`,"
                + " sample_rate, retention_days, importance, '" + topic + "' AS kafka_topic, toUInt32(0) AS kafka_partition,"
                + " toUInt64(0) AS kafka_offset FROM " + kdb + ".kq");
        try {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> SinkIT.count(ch, kdb + ".logs") >= RECORDS);
        } finally {
            System.out.println("BENCH kafka engine rows: " + SinkIT.count(ch, kdb + ".logs"));
            java.nio.file.Path err = ch.dir().resolve("server.err.log");
            if (java.nio.file.Files.exists(err)) {
                List<String> lines = java.nio.file.Files.readAllLines(err);
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> System.out.println("BENCH err " + l));
            }
        }
        report("ClickHouse Kafka engine + MV (1 consumer)", t0);
        ch.query("DROP TABLE " + kdb + ".mv");
        ch.query("DROP TABLE " + kdb + ".kq");
    }

    private static String produce(KafkaBroker kafka, SinkIT.Names n) throws Exception {
        String topic = n.kept() + "4";
        kafka.createTopic(topic, 4);
        long now = System.currentTimeMillis();
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers())) {
            for (int from = 0; from < RECORDS; from += 100_000) {
                List<Envelope> chunk = new ArrayList<>();
                for (int i = from; i < Math.min(RECORDS, from + 100_000); i++) {
                    // no attrs: 18.16's Kafka engine cannot read a JSON object into a column
                    chunk.add(Envelope.log("b-" + i, "app-" + (i % 20), now).host("h1").level("INFO")
                            .logger("com.acme.Billing").thread("main").message("charged order " + i + " for customer 42")
                            .build().withPolicy(1.0, 30, "normal"));
                }
                SinkTestSupport.send(p, topic, chunk);
            }
        }
        report("produce", t0);
        return topic;
    }

    private static void drainWithTheSink(KafkaBroker kafka, ClickHouse ch, SinkIT.Names n, String topic, String what)
            throws Exception {
        long t0 = System.nanoTime();
        try (Sink sink = Sink.start(n.config(kafka, ch).keptTopics(List.of(topic)).build(), Clock.systemUTC())) {
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> SinkIT.count(ch, n.db() + ".logs") >= RECORDS);
            report(what, t0);
        }
        assertThat(ch.queryLong("SELECT uniqExact(id) FROM " + n.db() + ".logs")).isEqualTo(RECORDS);
    }

    private static void report(String what, long startNanos) {
        double s = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("BENCH %-45s %,d records in %.2f s = %,.0f rows/s%n", what, RECORDS, s, RECORDS / s);
    }
}
