package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PureLogicTest {
    private static final long NOW = 1_790_000_000_000L;
    private static final TopicPartition TP = new TopicPartition("kept", 0);

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
        assertThat(TimeClamp.clamp(0, 30, NOW)).isEqualTo(NOW - 31 * day);
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
    void resumePositionIsTheLowestTableAndNeverBelowCommitted() {
        OffsetLedger l = new OffsetLedger();
        l.reload(Map.of(Table.LOGS, Map.of(TP, 100L), Table.METRICS, Map.of(TP, 40L)));
        List<Table> kept = List.of(Table.LOGS, Table.METRICS);
        assertThat(l.resumeOffset(TP, kept, null)).isEqualTo(41L);
        assertThat(l.resumeOffset(TP, kept, 60L)).isEqualTo(60L);
        assertThat(l.isStored(Table.LOGS, TP, 100)).isTrue();
        assertThat(l.isStored(Table.METRICS, TP, 41)).isFalse();
    }

    @Test
    void acknowledgedRowsRaiseEachPartitionsMaximumEvenWhenPartitionsInterleave() {
        OffsetLedger l = new OffsetLedger();
        l.reload(Map.of(Table.LOGS, Map.of(TP, 6L)));
        TopicPartition p1 = new TopicPartition(TP.topic(), TP.partition() + 1);
        TopicPartition other = new TopicPartition("other", TP.partition());
        l.acknowledge(Table.LOGS, List.of(source(TP, 2), source(TP, 3), source(p1, 3), source(TP, 4), source(p1, 9),
                source(p1, 8), source(other, 11)));
        assertThat(l.isStored(Table.LOGS, TP, 6)).isTrue(); // a lower run never lowers the maximum
        assertThat(l.isStored(Table.LOGS, TP, 7)).isFalse();
        assertThat(l.isStored(Table.LOGS, p1, 9)).isTrue();
        assertThat(l.isStored(Table.LOGS, p1, 10)).isFalse();
        assertThat(l.isStored(Table.LOGS, other, 11)).isTrue();
        assertThat(l.isStored(Table.METRICS, other, 0)).isFalse();
        l.acknowledge(Table.LOGS, List.of());
        assertThat(l.resumeOffset(TP, List.of(Table.LOGS), null)).isEqualTo(7L);
    }

    private static EncodedRows.Source source(TopicPartition tp, long offset) {
        return new EncodedRows.Source(tp.topic(), tp.partition(), offset, null, new byte[0]);
    }

    @Test
    void tableWithoutRowsFallsBackToCommittedOrBeginning() {
        OffsetLedger l = new OffsetLedger();
        l.reload(Map.of(Table.LOGS, Map.of(TP, 100L)));
        List<Table> kept = List.of(Table.LOGS, Table.METRICS);
        assertThat(l.resumeOffset(TP, kept, null)).isNull();
        assertThat(l.resumeOffset(TP, kept, 70L)).isEqualTo(70L);
        assertThat(l.resumeOffset(new TopicPartition("kept", 1), kept, null)).isNull();
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
    void batchMinRowsDefaultsTo10kFromEnvAndNeverExceedsTheMax() {
        assertThat(SinkConfig.builder().build().batchMinRows()).isEqualTo(10_000);
        assertThat(SinkConfig.fromEnv(Map.of("TAGPIPE_SINK_BATCH_MIN_ROWS", "2500")).build().batchMinRows()).isEqualTo(2500);
        assertThat(SinkConfig.builder().batchRows(5000).build().batchMinRows()).isEqualTo(5000);
        assertThatThrownBy(() -> SinkConfig.builder().batchMinRows(0).build()).hasMessageContaining("batch min rows");
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
