package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class SchemaTest {

    @Test
    void legacyDdlIsPinned() throws IOException {
        assertThat(allDdl(Dialect.LEGACY)).isEqualTo(resource("/ddl/legacy.sql"));
    }

    @Test
    void currentDdlIsPinned() throws IOException {
        assertThat(allDdl(Dialect.CURRENT)).isEqualTo(resource("/ddl/current.sql"));
    }

    @Test
    void legacyHasNoFeaturesMissingFrom18_16() {
        String ddl = allDdl(Dialect.LEGACY);
        assertThat(ddl).doesNotContain("DateTime64", "LowCardinality", "Map(", "TTL")
                .contains("`attrs.key` Array(String), `attrs.value` Array(String)");
    }

    @Test
    void everyTablePartitionsByRetentionAndDayNotByApp() {
        for (Dialect d : Dialect.values()) {
            for (Table t : Table.values()) {
                assertThat(t.ddl("db", d)).contains("PARTITION BY (retention_days, toYYYYMMDD(ts))");
            }
        }
    }

    @Test
    void clusterTablesDifferFromOneServersOnlyInNameEngineAndOnCluster() {
        Layout cluster = Layout.cluster("prod", "/ch/{shard}/");
        for (Dialect d : Dialect.values()) {
            for (Table t : Table.values()) {
                String local = cluster.ddl(t, "tagpipe", d).get(0);
                String asOneServer = local
                        .replace("`tagpipe`.`" + t.tableName() + "_local` ON CLUSTER `prod`", "`tagpipe`.`" + t.tableName() + "`")
                        .replace("ReplicatedMergeTree('/ch/{shard}/tagpipe/" + t.tableName() + "_local', '{replica}')",
                                "MergeTree()");
                assertThat(asOneServer).isEqualTo(t.ddl("tagpipe", d));
            }
        }
    }

    @Test
    void clusterDistributedTablesKeepTheNamesAndShardByKafkaPartition() {
        assertThat(Layout.cluster("prod", Layout.DEFAULT_ZOOKEEPER_PATH).ddl(Table.METRICS, "tagpipe", Dialect.LEGACY).get(1))
                .isEqualTo("CREATE TABLE IF NOT EXISTS `tagpipe`.`metrics` ON CLUSTER `prod` AS `tagpipe`.`metrics_local` "
                        + "ENGINE = Distributed('prod', 'tagpipe', 'metrics_local', kafka_partition)");
        assertThat(Layout.single().ddl(Table.METRICS, "tagpipe", Dialect.LEGACY)).hasSize(1);
        assertThat(Layout.cluster("prod", "/p/{shard}").alterTarget("db", Table.LOGS)).isEqualTo("`db`.`logs_local` ON CLUSTER `prod`");
        assertThat(Layout.single().alterTarget("db", Table.LOGS)).isEqualTo("`db`.`logs`");
    }

    @Test
    void dialectFollowsServerVersion() {
        assertThat(Dialect.forVersion("18.16.1")).isEqualTo(Dialect.LEGACY);
        assertThat(Dialect.forVersion("22.2.9.1")).isEqualTo(Dialect.LEGACY);
        assertThat(Dialect.forVersion("22.3.1.1")).isEqualTo(Dialect.CURRENT);
        assertThat(Dialect.forVersion("25.8.2.29")).isEqualTo(Dialect.CURRENT);
        assertThatThrownBy(() -> Dialect.forVersion("banana")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void legacyAttrsAreTwoInsertColumns() {
        assertThat(Table.LOGS.columnNames(Dialect.LEGACY)).contains("attrs.key", "attrs.value").doesNotContain("attrs");
        assertThat(Table.LOGS.columnNames(Dialect.CURRENT)).contains("attrs").doesNotContain("attrs.key");
    }

    private static String allDdl(Dialect d) {
        return Arrays.stream(Table.values()).map(t -> t.ddl("tagpipe", d) + ";").collect(Collectors.joining("\n\n")) + "\n";
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SchemaTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
