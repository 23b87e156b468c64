package io.tagpipe.cli;

import java.time.Duration;
import java.util.Map;

import io.tagpipe.cli.report.ClickHouseReads;
import io.tagpipe.sink.ClickHouseStore;
import io.tagpipe.sink.ClickHouseUrl;
import io.tagpipe.sink.Layout;
import io.tagpipe.sink.SinkConfig;
import picocli.CommandLine.Option;

/** ClickHouse connection flags of every command that talks to ClickHouse; the password only from env. */
public final class ClickHouseOptions {
    /** How long one read query of {@code report} or {@code replay} may take. */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);

    @Option(names = "--clickhouse-url", defaultValue = "${env:TAGPIPE_CLICKHOUSE_URL:-http://localhost:8123}",
            description = "ClickHouse HTTP interface: http(s)://host:port, or jdbc:clickhouse://host:port[/database][?ssl=true] "
                    + "(also jdbc:ch://) (env TAGPIPE_CLICKHOUSE_URL, default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--clickhouse-user", defaultValue = "${env:TAGPIPE_CLICKHOUSE_USER:-default}",
            description = "ClickHouse user (env TAGPIPE_CLICKHOUSE_USER, default ${DEFAULT-VALUE}); the password comes "
                    + "from TAGPIPE_CLICKHOUSE_PASSWORD or the file named by TAGPIPE_CLICKHOUSE_PASSWORD_FILE")
    String user;

    @Option(names = "--database", defaultValue = "${env:TAGPIPE_CLICKHOUSE_DATABASE}",
            description = "ClickHouse database (env TAGPIPE_CLICKHOUSE_DATABASE; default: the one a jdbc: URL names, else "
                    + SinkConfig.DEFAULT_DATABASE + ")")
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

    /** {@code --database}, else the URL's, else the default; an error when the URL is bad or names another one. */
    String database() {
        return ClickHouseUrl.parse(url).database(database, SinkConfig.DEFAULT_DATABASE);
    }

    /** The sink's client for read-only queries, errors in the operator's terms. */
    ClickHouseReads reads(Map<String, String> env) {
        return new ClickHouseReads(new ClickHouseStore(url, user, password(env), database(), QUERY_TIMEOUT));
    }

    /** {@code TAGPIPE_CLICKHOUSE_PASSWORD}, else the first line of {@code TAGPIPE_CLICKHOUSE_PASSWORD_FILE}, else empty. */
    static String password(Map<String, String> env) {
        return SinkConfig.password(env);
    }
}
