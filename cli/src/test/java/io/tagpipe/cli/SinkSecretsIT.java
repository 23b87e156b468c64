package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.tagpipe.testkit.ChildJvm;
import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.EachClickHouse;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.Topics;

/**
 * {@code tagpipe sink} as a real child JVM with a password-protected ClickHouse user (password from
 * a file) and a Kafka config carrying JAAS and password settings (inert under PLAINTEXT): it works,
 * and neither secret appears anywhere in what it prints, also at INFO with Kafka's config dumps.
 */
@ExtendWith(RealServices.class)
class SinkSecretsIT {
    private static final String KAFKA_SECRET = "kafka-Secret-91d2e7";
    private static final String TRUSTSTORE_SECRET = "truststore-Secret-44af0c";

    @EachClickHouse
    void sinkWithPasswordsFromFilesWorksAndNeverPrintsThem(KafkaBroker kafka, ClickHouse ch, @TempDir Path dir)
            throws Exception {
        for (String t : List.of(Topics.KEPT, Topics.STATS, Topics.DLQ)) {
            kafka.createTopic(t, 1);
        }
        Path passwordFile = dir.resolve("clickhouse.password");
        Files.writeString(passwordFile, ClickHouseServer.SECURED_PASSWORD + "\n");
        Path kafkaConfig = dir.resolve("kafka.properties");
        Files.writeString(kafkaConfig, "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule "
                + "required username=\"tagpipe\" password=\"" + KAFKA_SECRET + "\";\n"
                + "ssl.truststore.password=" + TRUSTSTORE_SECRET + "\n"
                + "session.timeout.ms=6000\n");
        String db = RealServices.unique("secrets");
        String id = RealServices.unique("secret-record");

        try (ChildJvm sink = ChildJvm.start(Tagpipe.class.getName(), List.of("sink",
                        "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config", kafkaConfig.toString(),
                        "--clickhouse-url", ch.url(), "--clickhouse-user", ClickHouseServer.SECURED_USER,
                        "--database", db, "--group-id", RealServices.unique("g"), "--metrics-port", "0"),
                Map.of("TAGPIPE_CLICKHOUSE_PASSWORD_FILE", passwordFile.toString(),
                        "TAGPIPE_LOG_LEVEL", "info,org.apache.kafka=info"), // Kafka's config dumps too
                List.of("-Xmx256m"), dir.resolve("sink.log"));
             KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>(Topics.KEPT, "vault".getBytes(StandardCharsets.UTF_8),
                    new EnvelopeCodec().encode(Envelope.log(id, "vault", System.currentTimeMillis()).message("m").build()))).get();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> tableHas(ch, db, id)
                    || !sink.isAlive());
            assertThat(sink.isAlive()).as(sink.output()).isTrue();
            assertThat(sink.terminate(60)).isEqualTo(143);
            String out = sink.output();
            assertThat(out).contains("as " + ClickHouseServer.SECURED_USER, "password set", "****")
                    .doesNotContain(ClickHouseServer.SECURED_PASSWORD, KAFKA_SECRET, TRUSTSTORE_SECRET);
        }
    }

    private static boolean tableHas(ClickHouse ch, String db, String id) {
        try {
            return ch.queryLong("SELECT count() FROM " + db + ".logs WHERE id = '" + id + "'") == 1;
        } catch (RuntimeException tableNotThereYet) {
            return false;
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
