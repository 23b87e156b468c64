package io.tagpipe.cli;

import java.util.Map;

import io.tagpipe.cli.report.ClickHouseHttp;
import io.tagpipe.sink.Layout;
import io.tagpipe.sink.SinkConfig;
import picocli.CommandLine.Option;

/** ClickHouse connection flags of the read-side commands ({@code report}, {@code demo}); the password only from env. */
public final class ClickHouseOptions {
    @Option(names = "--clickhouse-url", defaultValue = "${env:TAGPIPE_CLICKHOUSE_URL:-http://localhost:8123}",
            description = "ClickHouse HTTP URL (env TAGPIPE_CLICKHOUSE_URL, default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--clickhouse-user", defaultValue = "${env:TAGPIPE_CLICKHOUSE_USER:-default}",
            description = "ClickHouse user (env TAGPIPE_CLICKHOUSE_USER, default ${DEFAULT-VALUE}); the password comes "
                    + "from TAGPIPE_CLICKHOUSE_PASSWORD or the file named by TAGPIPE_CLICKHOUSE_PASSWORD_FILE")
    String user;

    @Option(names = "--database", defaultValue = "${env:TAGPIPE_CLICKHOUSE_DATABASE:-tagpipe}",
            description = "ClickHouse database (env TAGPIPE_CLICKHOUSE_DATABASE, default ${DEFAULT-VALUE})")
    String database;

    @Option(names = "--clickhouse-cluster", defaultValue = "${env:TAGPIPE_SINK_CLICKHOUSE_CLUSTER}",
            description = "write to and read from this ClickHouse cluster (its name in the servers' remote_servers): "
                    + "ReplicatedMergeTree tables NAME_local plus Distributed tables NAME, created ON CLUSTER "
                    + "(env TAGPIPE_SINK_CLICKHOUSE_CLUSTER; default: one server)")
    String cluster;

    @Option(names = "--clickhouse-zookeeper-path",
            defaultValue = "${env:TAGPIPE_SINK_CLICKHOUSE_ZOOKEEPER_PATH:-" + Layout.DEFAULT_ZOOKEEPER_PATH + "}",
            description = "on a cluster, prefix of the replicated tables' ZooKeeper/Keeper paths (+ /DATABASE/TABLE); "
                    + "must hold {shard} (env TAGPIPE_SINK_CLICKHOUSE_ZOOKEEPER_PATH, default ${DEFAULT-VALUE})")
    String zooKeeperPath;

    ClickHouseHttp http(Map<String, String> env) {
        return new ClickHouseHttp(url, user, password(env));
    }

    /** {@code TAGPIPE_CLICKHOUSE_PASSWORD}, else the first line of {@code TAGPIPE_CLICKHOUSE_PASSWORD_FILE}, else empty. */
    static String password(Map<String, String> env) {
        return SinkConfig.password(env);
    }
}
