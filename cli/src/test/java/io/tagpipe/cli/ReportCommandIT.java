package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tagpipe.sink.ClickHouseStore;
import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.RealServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code tagpipe report} on the real ClickHouse, over tables created by the sink's own schema code. */
@ExtendWith(RealServices.class)
class ReportCommandIT {
    private static final long NOW = Instant.now().toEpochMilli();
    private static final long OLD = NOW - Duration.ofDays(3).toMillis();
    private static String db;
    private static ClickHouseServer ch;

    @BeforeAll
    static void tables(ClickHouseServer clickhouse) throws Exception {
        ch = clickhouse;
        db = RealServices.unique("report");
        try (ClickHouseStore store = new ClickHouseStore(clickhouse.url(), "default", "", db, Duration.ofSeconds(30))) {
            store.ensureSchema();
        }
        // search-indexer: 3 kept rows sampled at 0.5 (one 3 days old), retention 7; then its policy said 'low'
        insertLog("search-indexer", OLD, 0.5, 7, "normal");
        insertLog("search-indexer", NOW - 1000, 0.5, 7, "normal");
        insertLog("search-indexer", NOW, 0.5, 7, "low");
        // nightly-report: 2 metrics, kept in full, retention 14
        for (int i = 0; i < 2; i++) {
            clickhouse.query("INSERT INTO " + db + ".metrics (ts, ts_ms, app, app_source, name, value, sample_rate, retention_days, importance) "
                    + "VALUES (toDateTime(" + NOW / 1000 + "), " + NOW + ", 'nightly-report', 'main-class', 'report.rows', 5, 1, 14, 'normal')");
        }
        // stats are deltas: two 'kept' lines of the same key must be summed
        insertStats("search-indexer", "kept", 1, OLD);
        insertStats("search-indexer", "kept", 2, NOW);
        insertStats("search-indexer", "sampled", 3, NOW);
        insertStats("search-indexer", "rate_limit", 4, NOW);
        insertStats("search-indexer", "min_level", 10, OLD);
        insertStats("nightly-report", "kept", 2, NOW);
    }

    private static void insertLog(String app, long ts, double rate, int days, String importance) {
        ch.query("INSERT INTO " + db + ".logs (ts, ts_ms, id, app, app_source, level, message, sample_rate, retention_days, importance) "
                + "VALUES (toDateTime(" + ts / 1000 + "), " + ts + ", 'id-" + ts + "', '" + app + "', 'main-class', 'INFO', 'm', "
                + rate + ", " + days + ", '" + importance + "')");
    }

    private static void insertStats(String app, String reason, long n, long ts) {
        ch.query("INSERT INTO " + db + ".ingest_stats (ts, ts_ms, app, kind, level, reason, count, retention_days) VALUES (toDateTime("
                + ts / 1000 + "), " + ts + ", '" + app + "', 'log', 'INFO', '" + reason + "', " + n + ", 30)");
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Tagpipe.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int rc = cli.execute(args);
        return rc + "\n" + out;
    }

    private static JsonNode json(String... extra) throws Exception {
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("report", "--clickhouse-url", ch.url(), "--database", db,
                "--format", "json"), java.util.Arrays.stream(extra)).toArray(String[]::new);
        String result = run(args);
        assertThat(result).startsWith("0\n");
        return new ObjectMapper().readTree(result.substring(2));
    }

    @Test
    void jsonSumsStatsPerReasonAndReweightsStoredRows() throws Exception {
        JsonNode all = json();

        assertThat(all).hasSize(2);
        JsonNode indexer = all.get(1);
        assertThat(indexer.get("app").asText()).isEqualTo("search-indexer");
        assertThat(indexer.get("received").asLong()).isEqualTo(20);
        assertThat(indexer.get("kept").asLong()).isEqualTo(3);
        assertThat(indexer.get("dropped").asLong()).isEqualTo(17);
        assertThat(indexer.get("dropped_by_reason").toString()).isEqualTo("{\"min_level\":10,\"rate_limit\":4,\"sampled\":3}");
        assertThat(indexer.get("stored").asLong()).isEqualTo(3);
        assertThat(indexer.get("reweighted").asDouble()).isEqualTo(6.0);
        assertThat(indexer.get("importance").asText()).as("the newest row's").isEqualTo("low");
        assertThat(indexer.get("retention_days").asInt()).isEqualTo(7);
        assertThat(indexer.get("app_source").asText()).isEqualTo("main-class");
        assertThat(indexer.get("partitions").asInt()).as("7 days x (3 days ago, today)").isEqualTo(2);
        assertThat(indexer.get("bytes_on_disk").asLong()).isPositive();

        JsonNode report = all.get(0);
        assertThat(report.get("app").asText()).isEqualTo("nightly-report");
        assertThat(report.get("received").asLong()).isEqualTo(2);
        assertThat(report.get("stored").asLong()).isEqualTo(2);
        assertThat(report.get("retention_days").asInt()).isEqualTo(14);
    }

    @Test
    void sinceAndAppNarrowTheReport() throws Exception {
        JsonNode recent = json("--since", "1d", "--app", "search-indexer");

        assertThat(recent).hasSize(1);
        assertThat(recent.get(0).get("received").asLong()).isEqualTo(9);
        assertThat(recent.get(0).get("stored").asLong()).isEqualTo(2);
        assertThat(recent.get(0).get("dropped_by_reason").has("min_level")).isFalse();
    }

    @Test
    void tableAndCsvHaveOneLinePerAppAfterTheHeader() {
        String table = run("report", "--clickhouse-url", ch.url(), "--database", db);
        String csv = run("report", "--clickhouse-url", ch.url(), "--database", db, "--format", "csv");

        assertThat(table.lines().toList()).hasSize(4);
        assertThat(table).contains("search-indexer", "min_level=10, rate_limit=4, sampled=3");
        List<String> rows = csv.lines().toList();
        assertThat(rows).hasSize(4);
        assertThat(rows.get(3)).startsWith("search-indexer,main-class,low,20,3,17,\"min_level=10, rate_limit=4, sampled=3\",3,6,7,2,");
    }

    @Test
    void aDatabaseWithoutTagpipeTablesIsAClearErrorNotAStackTrace() {
        String result = run("report", "--clickhouse-url", ch.url(), "--database", "system");

        assertThat(result).startsWith("1\n").contains("no table system.logs").contains("has the sink run").doesNotContain("Exception");
    }

    @Test
    void anUnreachableServerIsAClearError() {
        String result = run("report", "--clickhouse-url", "http://127.0.0.1:1", "--database", db);

        assertThat(result).startsWith("1\n").contains("unreachable");
    }
}
