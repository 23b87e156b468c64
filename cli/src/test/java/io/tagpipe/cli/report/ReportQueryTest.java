package io.tagpipe.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class ReportQueryTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void sinceAcceptsSecondsToWeeks() {
        assertThat(ReportQuery.parseSince("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ReportQuery.parseSince("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(ReportQuery.parseSince("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(ReportQuery.parseSince("2D")).isEqualTo(Duration.ofDays(2));
        assertThat(ReportQuery.parseSince("1w")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void sinceWithoutAUnitIsAClearError() {
        assertThatThrownBy(() -> ReportQuery.parseSince("12")).isInstanceOf(ReportException.class).hasMessageContaining("1h or 2d");
        assertThatThrownBy(() -> ReportQuery.parseSince("yesterday")).isInstanceOf(ReportException.class);
    }

    @Test
    void sinceBecomesAMillisecondCutOffOnEveryTable() {
        ReportQuery q = ReportQuery.of("tagpipe", "1h", null, NOW);
        long cut = NOW.minus(Duration.ofHours(1)).toEpochMilli();

        assertThat(q.statsSql()).contains("ts_ms >= " + cut);
        assertThat(q.storedSql()).contains("`tagpipe`.`logs` WHERE 1 AND ts_ms >= " + cut)
                .contains("`tagpipe`.`metrics` WHERE 1 AND ts_ms >= " + cut);
    }

    @Test
    void hostileAppLabelStaysAStringLiteral() {
        ReportQuery q = ReportQuery.of("tagpipe", null, "x' OR 1=1 --\\", NOW);

        assertThat(q.statsSql()).contains("app = 'x\\' OR 1=1 --\\\\'");
    }

    @Test
    void databaseMustBeAnIdentifier() {
        assertThatThrownBy(() -> ReportQuery.of("tagpipe`; DROP", null, null, NOW))
                .isInstanceOf(ReportException.class).hasMessageContaining("--database");
    }

    @Test
    void onAClusterRowsComeFromTheDistributedTablesAndPartsFromOneReplicaPerShard() {
        ReportQuery one = ReportQuery.of("tagpipe", null, null, NOW);
        ReportQuery q = one.onCluster("prod");

        assertThat(q.storedSql()).isEqualTo(one.storedSql());
        assertThat(q.statsSql()).isEqualTo(one.statsSql());
        assertThat(q.partsSql()).contains("FROM cluster('prod', 'system', 'parts')")
                .contains("table IN ('logs_local', 'metrics_local')");
        assertThat(one.onCluster(" ").partsSql()).isEqualTo(one.partsSql());
    }

    @Test
    void noFiltersMeansEverything() {
        ReportQuery q = ReportQuery.of("tagpipe", "", "", NOW);

        assertThat(q.since()).isEmpty();
        assertThat(q.app()).isEmpty();
        assertThat(q.statsSql()).endsWith("WHERE 1 GROUP BY app, reason");
    }
}
