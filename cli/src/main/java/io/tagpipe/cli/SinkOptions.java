package io.tagpipe.cli;

import java.util.Map;

import io.tagpipe.sink.SinkConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Connection options shared by {@code sink}, {@code retention run} and {@code purge}; each falls back to its env variable. */
public final class SinkOptions {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--clickhouse-url", defaultValue = "${env:TAGPIPE_CLICKHOUSE_URL:-http://localhost:8123}",
            description = "ClickHouse HTTP URL (env TAGPIPE_CLICKHOUSE_URL, default ${DEFAULT-VALUE})")
    String clickhouseUrl;

    @Option(names = "--clickhouse-user", defaultValue = "${env:TAGPIPE_CLICKHOUSE_USER:-default}",
            description = "ClickHouse user (env TAGPIPE_CLICKHOUSE_USER, default ${DEFAULT-VALUE}); the password comes "
                    + "from TAGPIPE_CLICKHOUSE_PASSWORD or the file named by TAGPIPE_CLICKHOUSE_PASSWORD_FILE")
    String clickhouseUser;

    @Option(names = "--database", defaultValue = "${env:TAGPIPE_CLICKHOUSE_DATABASE:-tagpipe}",
            description = "ClickHouse database (env TAGPIPE_CLICKHOUSE_DATABASE, default ${DEFAULT-VALUE})")
    String database;

    @Option(names = "--group-id", defaultValue = "${env:TAGPIPE_SINK_GROUP_ID:-tagpipe-sink}",
            description = "consumer group (env TAGPIPE_SINK_GROUP_ID, default ${DEFAULT-VALUE})")
    String groupId;

    /** A builder holding these options; callers add their own settings. */
    SinkConfig.Builder builder(Map<String, String> env) {
        SinkConfig.Builder b = SinkConfig.builder().bootstrapServers(kafka.bootstrapServers).clickhouseUrl(clickhouseUrl)
                .clickhouseUser(clickhouseUser).clickhousePassword(SinkConfig.password(env)).database(database)
                .groupId(groupId);
        if (kafka.kafkaConfig != null) {
            b.kafkaProperties(SinkConfig.readProperties(kafka.kafkaConfig));
        }
        return b;
    }
}
