package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PureLogicTest {
    private static final long NOW = 1_790_000_000_000L;

    @Test
    void sqlLiteralEscapesQuotesAndBackslashes() {
        assertThat(Sql.literal("it's\\x")).isEqualTo("'it\\'s\\\\x'");
        assertThat(Sql.literal("a'; DROP TABLE logs; --")).isEqualTo("'a\\'; DROP TABLE logs; --'");
        assertThat(Sql.ident("we`ird")).isEqualTo("`we\\`ird`");
    }

    @Test
    void timestampsFarAwayAreClampedIntoTheLiveWindow() {
        long day = TimeClamp.DAY_MS;
        assertThat(TimeClamp.clamp(NOW - 3 * day, 30, NOW)).isEqualTo(NOW - 3 * day);
        assertThat(TimeClamp.clamp(0, 30, NOW)).as("inside the retention, so no TTL drops it at insert")
                .isEqualTo(NOW - 29 * day);
        assertThat(TimeClamp.clamp(NOW - 30 * day, 30, NOW)).isEqualTo(NOW - 29 * day);
        assertThat(TimeClamp.clamp(0, 1, NOW)).isEqualTo(NOW);
        assertThat(TimeClamp.clamp(Long.MAX_VALUE, 30, NOW)).isEqualTo(NOW + day);
    }

    @Test
    void onlyWhollyExpiredPartitionsAreDropped() {
        LocalDate today = LocalDate.of(2026, 11, 26);
        var old7 = new RetentionPlan.PartitionKey(7, today.minusDays(9));
        var edge7 = new RetentionPlan.PartitionKey(7, today.minusDays(8));
        var live30 = new RetentionPlan.PartitionKey(30, today.minusDays(9));
        assertThat(RetentionPlan.expired(List.of(old7, edge7, live30), today)).containsExactly(old7);
    }

    @Test
    void partitionTextIsParsedOrIgnored() {
        assertThat(RetentionPlan.parse("(30,20261126)")).contains(
                new RetentionPlan.PartitionKey(30, LocalDate.of(2026, 11, 26)));
        assertThat(RetentionPlan.parse("(30,20261126)").orElseThrow().sql()).isEqualTo("(30, 20261126)");
        assertThat(RetentionPlan.parse("tuple()")).isEmpty();
        assertThat(RetentionPlan.parse("(1,2); DROP")).isEmpty();
    }

    @Test
    void backoffDoublesUpToTheCapAndResets() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(2));
        assertThat(List.of(b.next(), b.next(), b.next(), b.next()))
                .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2));
        b.reset();
        assertThat(b.next()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void configReportsEveryErrorAndHidesThePassword() {
        assertThatThrownBy(() -> SinkConfig.builder().database("bad-name;").batchRows(0).clickhouseUrl("ftp://x").build())
                .hasMessageContaining("database").hasMessageContaining("batch rows").hasMessageContaining("URL");
        SinkConfig c = SinkConfig.builder().clickhousePassword("hunter2")
                .kafkaProperties(Map.of("sasl.jaas.config", "secret-stuff", "ssl.key.password", "pw")).build();
        assertThat(c.toString()).doesNotContain("hunter2", "secret-stuff", "=pw");
    }

    @Test
    void keptTopicsDefaultToEveryLaneHighestFirstAndComeFromEnvInTheGivenOrder() {
        assertThat(SinkConfig.builder().build().keptTopics())
                .containsExactly("tagpipe.kept.critical", "tagpipe.kept.high", "tagpipe.kept", "tagpipe.kept.low");
        assertThat(SinkConfig.builder().build().laneOrder()).isTrue();
        assertThat(SinkConfig.fromEnv(Map.of("TAGPIPE_SINK_KEPT_TOPICS", " a.critical, a ,a.low")).build().keptTopics())
                .containsExactly("a.critical", "a", "a.low");
    }

    @Test
    void badTopicNamesAreNamedEachOne() {
        assertThatThrownBy(() -> SinkConfig.fromEnv(Map.of("TAGPIPE_SINK_KEPT_TOPICS", "a,,b c",
                "TAGPIPE_SINK_STATS_TOPIC", "st/ats", "TAGPIPE_SINK_DLQ_TOPIC", "..")).build())
                .hasMessageContaining("kept topic '' is not a valid topic name")
                .hasMessageContaining("kept topic 'b c' is not a valid topic name")
                .hasMessageContaining("stats topic 'st/ats' is not a valid topic name")
                .hasMessageContaining("DLQ topic '..' is not a valid topic name");
        assertThatThrownBy(() -> SinkConfig.builder().keptTopics("x,y,x").build()).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> SinkConfig.builder().keptTopics("x,stats").statsTopic("stats").build())
                .hasMessageContaining("stats topic 'stats' is also a kept topic");
        assertThatThrownBy(() -> SinkConfig.builder().keptTopics(List.of()).build()).hasMessageContaining("kept topics are empty");
    }

    @Test
    void clusterComesFromEnvWithADefaultZooKeeperPathAndBadValuesAreNamed() {
        assertThat(SinkConfig.builder().build().layout().isCluster()).isFalse();
        Layout l = SinkConfig.fromEnv(Map.of("TAGPIPE_SINK_CLICKHOUSE_CLUSTER", "prod")).build().layout();
        assertThat(l).isEqualTo(Layout.cluster("prod", "/clickhouse/tables/{shard}"));
        assertThat(SinkConfig.fromEnv(Map.of("TAGPIPE_SINK_CLICKHOUSE_CLUSTER", "prod",
                "TAGPIPE_SINK_CLICKHOUSE_ZOOKEEPER_PATH", "/t/{shard}/x")).build().layout().zooKeeperPath()).isEqualTo("/t/{shard}/x");
        assertThatThrownBy(() -> SinkConfig.builder().clickhouseCluster("a b").clickhouseZooKeeperPath("/tables").build())
                .hasMessageContaining("cluster name must be 1+ of A-Z a-z 0-9 _ . -, got 'a b'")
                .hasMessageContaining("must start with / and hold the {shard} macro")
                .hasMessageContaining("got '/tables'");
    }

    @Test
    void batchMinRowsDefaultsTo10kFromEnvAndNeverExceedsTheMax() {
        assertThat(SinkConfig.builder().build().batchMinRows()).isEqualTo(10_000);
        assertThat(SinkConfig.fromEnv(Map.of("TAGPIPE_SINK_BATCH_MIN_ROWS", "2500")).build().batchMinRows()).isEqualTo(2500);
        assertThat(SinkConfig.builder().batchRows(5000).build().batchMinRows()).isEqualTo(5000);
        assertThatThrownBy(() -> SinkConfig.builder().batchMinRows(0).build()).hasMessageContaining("batch min rows");
    }

    @Test
    void pressurePeriodDefaultsTo5sComesFromEnvAndIsBounded() {
        assertThat(SinkConfig.builder().build().pressurePeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(SinkConfig.builder().build().pressureTopic()).isEqualTo(io.tagpipe.wire.Topics.PRESSURE);
        assertThat(SinkConfig.fromEnv(Map.of("TAGPIPE_SINK_PRESSURE_PERIOD_MS", "2500")).build().pressurePeriod())
                .isEqualTo(Duration.ofMillis(2500));
        assertThatThrownBy(() -> SinkConfig.builder().pressurePeriod(Duration.ofMillis(50)).pressureTopic(" ").batchRows(0).build())
                .hasMessageContaining("pressure period must be 100 ms..5 min, got 50 ms")
                .hasMessageContaining("pressure topic ' ' is not a valid topic name").hasMessageContaining("batch rows");
        assertThatThrownBy(() -> SinkConfig.builder().pressurePeriod(Duration.ofMinutes(6)).build())
                .hasMessageContaining("pressure period");
    }

    @Test
    void pressureThresholdsAndTimingComeFromEnvAndBadOnesAreNamed() {
        var rules = SinkConfig.fromEnv(Map.of("TAGPIPE_SINK_PRESSURE_INSERT_LATENCY_MS", "1000, 2000,4000,8000",
                "TAGPIPE_SINK_PRESSURE_BACKLOG_AGE_MS", "5000,10000,20000,40000",
                "TAGPIPE_SINK_PRESSURE_CALM_MS", "4000", "TAGPIPE_SINK_PRESSURE_HOLD_MS", "3000")).build().pressureRules();
        assertThat(rules.insertLatencyMs().steps()).containsExactly(1000.0, 2000.0, 4000.0, 8000.0);
        assertThat(rules.backlogAgeMs().steps()).containsExactly(5000.0, 10000.0, 20000.0, 40000.0);
        assertThat(rules.calm()).isEqualTo(Duration.ofSeconds(4));
        assertThat(rules.hold()).isEqualTo(Duration.ofSeconds(3));
        var defaults = io.tagpipe.sink.pressure.PressureRules.defaults();
        assertThat(SinkConfig.fromEnv(Map.of()).build().pressureRules()).isEqualTo(defaults);
        assertThatThrownBy(() -> SinkConfig.fromEnv(Map.of("TAGPIPE_SINK_PRESSURE_INSERT_LATENCY_MS", "1s,2s")))
                .hasMessageContaining("thresholds must be numbers separated by commas, got '1s,2s'");
        assertThatThrownBy(() -> SinkConfig.fromEnv(Map.of("TAGPIPE_SINK_PRESSURE_BACKLOG_AGE_MS", "3,2,1,0")))
                .hasMessageContaining("backlog age thresholds must be strictly rising");
    }

    @Test
    void passwordComesFromEnvOrFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("pw");
        java.nio.file.Files.writeString(f, "s3cret\n");
        assertThat(SinkConfig.password(Map.of("TAGPIPE_CLICKHOUSE_PASSWORD_FILE", f.toString()))).isEqualTo("s3cret");
        assertThat(SinkConfig.password(Map.of("TAGPIPE_CLICKHOUSE_PASSWORD", "direct"))).isEqualTo("direct");
        assertThat(SinkConfig.password(Map.of())).isEmpty();
    }
}
