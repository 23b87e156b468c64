package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.Secrets;
import io.tagpipe.processor.ProcessorSettings;
import io.tagpipe.sink.Dialect;
import io.tagpipe.sink.Sink;
import io.tagpipe.sink.SinkConfig;

/** The processor's and the sink's startup banners print Kafka settings through the one rule, {@link Secrets}. */
class StartupBannersTest {
    private static final Map<String, String> KAFKA = Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"jaas-9f1\";",
            "ssl.keystore.key", "-----BEGIN PRIVATE KEY----- key-77c",
            "ssl.truststore.password", "trust-3a0");

    @Test
    void processorBannerMasksEverySecret() {
        Properties extra = new Properties();
        extra.putAll(KAFKA);
        ProcessorSettings settings = ProcessorSettings.of(new ClientConfig("b:9092", extra), "app", null);

        String banner = String.join("\n", settings.startupSummary());

        assertThat(banner).contains("streams config     " + Secrets.masked(settings.streamsProperties()))
                .contains("sasl.jaas.config=" + Secrets.MASK, "ssl.keystore.key=" + Secrets.MASK,
                        "ssl.truststore.password=" + Secrets.MASK, "security.protocol=SASL_SSL")
                .doesNotContain("jaas-9f1", "key-77c", "trust-3a0");
    }

    @Test
    void sinkBannerMasksEverySecret() {
        SinkConfig config = SinkConfig.builder().kafkaProperties(KAFKA).clickhousePassword("ch-5e2").build();

        String banner = String.join("\n", Sink.startupSummary(config, "18.16.1", Dialect.LEGACY, ZoneId.of("UTC")));

        assertThat(banner).contains("kafka config:      " + Secrets.masked(KAFKA), "(password set)")
                .contains("sasl.jaas.config=" + Secrets.MASK, "ssl.keystore.key=" + Secrets.MASK,
                        "ssl.truststore.password=" + Secrets.MASK, "security.protocol=SASL_SSL")
                .doesNotContain("jaas-9f1", "key-77c", "trust-3a0", "ch-5e2");
        assertThat(config.toString()).doesNotContain("jaas-9f1", "key-77c", "trust-3a0", "ch-5e2");
    }
}
