package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.EachClickHouse;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The sink as a real child JVM ({@link SinkMain}): kill -9 mid-stream, restart, then SIGTERM. */
@ExtendWith(RealServices.class)
class SinkProcessIT {
    private static final int RECORDS = 200_000;

    @EachClickHouse
    void killNineMidStreamThenRestartWritesEveryRecordExactlyOnce(KafkaBroker kafka, ClickHouse ch,
                                                                  @TempDir Path dir) throws Exception {
        SinkIT.Names n = SinkIT.Names.create(kafka);
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers())) {
            SinkTestSupport.send(p, n.kept(), SinkIT.envelopes("k", 0, RECORDS, now));
        }
        Map<String, String> env = env(kafka, n, ch.url(), dir);
        env.put("TAGPIPE_SINK_BATCH_ROWS", "5000");

        Process first = startSink(env, dir.resolve("first.log"));
        await().atMost(Duration.ofSeconds(120)).until(() -> SinkIT.count(ch, n.db() + ".logs") >= 20_000);
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);      // kill -9: no flush, no commit
        long atKill = SinkIT.count(ch, n.db() + ".logs");
        assertThat(atKill).isLessThan(RECORDS);

        Process second = startSink(env, dir.resolve("second.log"));
        await().atMost(Duration.ofSeconds(180)).until(() -> SinkIT.count(ch, n.db() + ".logs") >= RECORDS
                && SinkTestSupport.lag(kafka.bootstrapServers(), n.group(), n.kept()) == 0);
        second.destroy();                                             // SIGTERM: flush, commit, stop
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // 143 = 128 + SIGTERM, the JVM's exit status after its shutdown hooks ran
        assertThat(second.exitValue()).as(Files.readString(dir.resolve("second.log"))).isEqualTo(143);
        assertThat(Files.readString(dir.resolve("second.log"))).contains("sink stopped after writing");

        assertThat(ch.query("SELECT count(), uniqExact(id) FROM " + n.db() + ".logs").trim())
                .isEqualTo(RECORDS + "\t" + RECORDS);
        assertThat(Files.readString(dir.resolve("second.log")))
                .contains("clickhouse:", "server version:", "database:", "group:",
                        Dialect.forVersion(ch.version()).name().toLowerCase() + " dialect")
                .doesNotContain("password=");
    }

    /** The environment of a {@link SinkMain} for these names (mutable: callers add their own settings). */
    static Map<String, String> env(KafkaBroker kafka, SinkIT.Names n, String clickhouseUrl, Path dir) throws IOException {
        Path kafkaConfig = dir.resolve("kafka.properties");
        // a restarted member must not wait 45 s for the killed one's session to expire
        Files.writeString(kafkaConfig, "session.timeout.ms=6000\nheartbeat.interval.ms=1000\n");
        return new java.util.HashMap<>(Map.of(
                "TAGPIPE_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "TAGPIPE_KAFKA_CONFIG", kafkaConfig.toString(),
                "TAGPIPE_CLICKHOUSE_URL", clickhouseUrl,
                "TAGPIPE_CLICKHOUSE_DATABASE", n.db(),
                "TAGPIPE_SINK_GROUP_ID", n.group(),
                "TAGPIPE_SINK_KEPT_TOPICS", n.kept(),
                "TAGPIPE_SINK_STATS_TOPIC", n.stats(),
                "TAGPIPE_SINK_DLQ_TOPIC", n.dlq()));
    }

    /** {@link SinkMain} in a child JVM on this classpath with {@code env}; output to {@code log}. */
    static Process startSink(Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn",
                "-cp", System.getProperty("java.class.path"), SinkMain.class.getName()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }
}
