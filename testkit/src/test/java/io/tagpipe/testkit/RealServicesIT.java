package io.tagpipe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealServices.class)
class RealServicesIT {

    @Test
    void brokerDeliversRecordsAcrossARestart(KafkaBroker kafka) {
        String topic = RealServices.unique("testkit");
        kafka.createTopic(topic, 2);
        produce(kafka, topic, "before");
        kafka.stop();
        assertThat(kafka.isRunning()).isFalse();
        kafka.start();
        kafka.createTopic(topic, 2); // idempotent: the topic exists already
        produce(kafka, topic, "after");

        assertThat(consumeAll(kafka, topic, 2)).containsExactlyInAnyOrder("before", "after");
    }

    @EachClickHouse
    void clickHouseAnswersQueriesAndSurvivesARestart(ClickHouse clickhouse) {
        String table = RealServices.unique("testkit");
        clickhouse.query("CREATE TABLE default." + table + " (x UInt32) ENGINE = MergeTree ORDER BY x");
        clickhouse.query("INSERT INTO default." + table + " VALUES (1), (2), (3)");
        clickhouse.stop();
        assertThat(clickhouse.isRunning()).isFalse();
        clickhouse.start();
        assertThat(clickhouse.queryLong("SELECT sum(x) FROM default." + table)).isEqualTo(6);
        assertThat(clickhouse.query("SELECT version()")).matches("\\d+\\.\\d+.*\\s*");
    }

    @EachClickHouse
    void clickHouseSurvivesAKillAndAnswersErrorsWithTheirCode(ClickHouse clickhouse) {
        String table = RealServices.unique("testkit");
        clickhouse.query("CREATE TABLE default." + table + " (x UInt32) ENGINE = MergeTree ORDER BY x");
        clickhouse.query("INSERT INTO default." + table + " VALUES (4), (5)");
        clickhouse.kill();
        assertThat(clickhouse.isRunning()).isFalse();
        clickhouse.start();
        assertThat(clickhouse.queryLong("SELECT sum(x) FROM default." + table)).isEqualTo(9);
        assertThatThrownBy(() -> clickhouse.query("SELECT nope FROM default." + table))
                .hasMessageNotContaining("HTTP 200").hasMessageContaining("Code: 47");
    }

    @Test
    void theCurrentEngineIsACurrentClickHouse(ChdbEngine engine) {
        assertThat(engine.version()).startsWith("26.");
        String table = RealServices.unique("testkit");
        // what 18.16 lacks: DateTime64, Map, LowCardinality, TTL
        engine.query("CREATE TABLE default." + table + " (ts DateTime64(3), app LowCardinality(String), "
                + "attrs Map(String, String)) ENGINE = MergeTree ORDER BY ts TTL toDateTime(ts) + INTERVAL 10 YEAR");
        engine.query("INSERT INTO default." + table + " VALUES ('2026-01-02 03:04:05.678', 'a', {'k':'v'})");
        assertThat(engine.query("SELECT ts, attrs['k'] FROM default." + table).trim())
                .isEqualTo("2026-01-02 03:04:05.678\tv");
    }

    /**
     * What a query's failure says when the engine is alive but does not answer (its temp dir is gone
     * after the test): the end of its log, and once per engine where its JVM's threads stand.
     */
    @Test
    void aHungEnginesReportHasItsLogAndOnceItsThreads(ChdbEngine engine) {
        String first = engine.hangReport();
        assertThat(first).contains("--- last lines of stdout.log ---").contains("serving ClickHouse HTTP")
                .contains("Thread.print) ---").doesNotContain("(no thread dump").doesNotContain("did not finish");
        assertThat(engine.hangReport()).contains("serving ClickHouse HTTP").doesNotContain("Thread.print");
    }

    private static void produce(KafkaBroker kafka, String topic, String value) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, value, value));
            producer.flush();
        }
    }

    private static List<String> consumeAll(KafkaBroker kafka, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, RealServices.unique("g"));
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }
}
