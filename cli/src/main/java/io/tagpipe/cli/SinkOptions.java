package io.tagpipe.cli;

import java.util.Map;

import io.tagpipe.sink.SinkConfig;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

/** Connection options shared by {@code sink}, {@code retention run} and {@code purge}; each falls back to its env variable. */
public final class SinkOptions {
    @Mixin
    KafkaOptions kafka;

    @Mixin
    ClickHouseOptions clickhouse;

    @Mixin
    GroupOptions.Sink group;

    /** These options alone, validated; a bad one (e.g. {@code --clickhouse-url}) is a usage error, exit code 2. */
    SinkConfig config(Map<String, String> env, CommandLine cmd) {
        try {
            return builder(env).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cmd, e.getMessage(), e);
        }
    }

    /** A builder holding these options; callers add their own settings. */
    SinkConfig.Builder builder(Map<String, String> env) {
        SinkConfig.Builder b = SinkConfig.builder().bootstrapServers(kafka.bootstrapServers).clickhouseUrl(clickhouse.url)
                .clickhouseUser(clickhouse.user).clickhousePassword(ClickHouseOptions.password(env)).database(clickhouse.database)
                .groupId(group.groupId).clickhouseCluster(clickhouse.cluster).clickhouseZooKeeperPath(clickhouse.zooKeeperPath);
        if (kafka.kafkaConfig != null) {
            b.kafkaConfigFile(kafka.kafkaConfig);
        }
        return b;
    }
}
