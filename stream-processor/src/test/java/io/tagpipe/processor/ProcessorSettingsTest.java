package io.tagpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.wire.ProcessorTopics;
import org.junit.jupiter.api.Test;

class ProcessorSettingsTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static Properties effective(Properties kafkaConfig, Properties streamsConfig) {
        return new ProcessorSettings(new ClientConfig("b:9092", kafkaConfig), "app", ProcessorTopics.defaults(),
                ProcessorSettings.DEFAULT_STATS_INTERVAL, streamsConfig).streamsProperties();
    }

    @Test
    void producerBatchesAndCompressionDefaultToWhatTheCollectorsUse() {
        Properties p = effective(new Properties(), new Properties());

        assertThat(p).containsEntry("producer.batch.size", "262144").containsEntry("producer.compression.type", "lz4")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .doesNotContainKey("commit.interval.ms");
    }

    @Test
    void eitherFileWinsOverTheDefaultsPrefixedOrNot() {
        Properties p = effective(props("compression.type", "zstd"), props("batch.size", "16384"));
        assertThat(p).containsEntry("compression.type", "zstd").containsEntry("batch.size", "16384")
                .doesNotContainKeys("producer.batch.size", "producer.compression.type");

        Properties q = effective(new Properties(), props("producer.compression.type", "none"));
        assertThat(q).containsEntry("producer.compression.type", "none").containsEntry("producer.batch.size", "262144");
    }
}
