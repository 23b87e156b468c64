package io.tagpipe.cli;

import java.nio.file.Path;

import io.tagpipe.admin.ClientConfig;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Connection flags every Kafka-facing command shares (mixin), each with its env fallback. */
public final class KafkaOptions {
    @Option(names = "--bootstrap-servers", scope = ScopeType.INHERIT, defaultValue = "${env:TAGPIPE_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (env TAGPIPE_BOOTSTRAP_SERVERS, default ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(names = "--kafka-config", scope = ScopeType.INHERIT, defaultValue = "${env:TAGPIPE_KAFKA_CONFIG}",
            description = ".properties merged into every Kafka client, e.g. SASL/TLS (env TAGPIPE_KAFKA_CONFIG)")
    Path kafkaConfig;

    ClientConfig client() {
        return ClientConfig.of(bootstrapServers, kafkaConfig);
    }
}
