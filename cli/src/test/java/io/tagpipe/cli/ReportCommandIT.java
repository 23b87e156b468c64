package io.tagpipe.cli;

import static io.tagpipe.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tagpipe.sink.ClickHouseStore;
import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.EachClickHouse;
import io.tagpipe.testkit.RealServices;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code tagpipe report} on each real ClickHouse, over tables created by the sink's own schema code. */
@ExtendWith(RealServices.class)
class ReportCommandIT {
    private static final long NOW = Instant.now().toEpochMilli();
    private static final long OLD = NOW - Duration.ofDays(3).toMillis();
    /** One filled database per ClickHouse, shared by the tests of this class. */
    private static final Map<ClickHouse, String> DATABASES = new ConcurrentHashMap<>();

    private static String db(ClickHouse ch) {
        return DATABASES.computeIfAbsent(ch, c -> {
            String db = RealServices.unique("report");
            try {
                tables(c, db);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return db;
        });
    }

    private static void tables(ClickHouse clickhouse, String db) throws Exception {
        try (ClickHouseStore store = new ClickHouseStore(clickhouse.url(), "default", "", db, Duration.ofSeconds(30))) {
            store.ensureSchema();
        }
        // search-indexer: 3 kept rows sampled at 0.5 (one 3 days old), retention 7; then its policy said 'low'
        insertLog(clickhouse, db + ".logs", "search-indexer", OLD, 0.5, 7, "normal");
        insertLog(clickhouse, db + ".logs", "search-indexer", NOW - 1000, 0.5, 7, "normal");
        insertLog(clickhouse, db + ".logs", "search-indexer", NOW, 0.5, 7, "low");
        // nightly-report: 2 metrics, kept in full, retention 14
        for (int i = 0; i < 2; i++) {
            clickhouse.query("INSERT INTO " + db + ".metrics (ts, ts_ms, app, app_source, name, value, sample_rate, retention_days, importance) "
                    + "VALUES (toDateTime(" + NOW / 1000 + "), " + NOW + ", 'nightly-report', 'main-class', 'report.rows', 5, 1, 14, 'normal')");
        }
        // stats are deltas: two 'kept' lines of the same key must be summed
        for (Object[] s : new Object[][] {{"search-indexer", "kept", 1, OLD}, {"search-indexer", "kept", 2, NOW},
                {"search-indexer", "sampled", 3, NOW}, {"search-indexer", "rate_limit", 4, NOW},
                {"search-indexer", "min_level", 10, OLD}, {"nightly-report", "kept", 2, NOW}}) {
            insertStats(clickhouse, db + ".ingest_stats", (String) s[0], (String) s[1], (Integer) s[2], (Long) s[3]);
        }
    }

    /** One log row into {@code table} ({@code db.logs}, or a cluster's {@code db.logs_local}). */
    static void insertLog(ClickHouse ch, String table, String app, long ts, double rate, int days, String importance) {
        ch.query("INSERT INTO " + table + " (ts, ts_ms, id, app, app_source, level, message, sample_rate, retention_days, importance) "
                + "VALUES (toDateTime(" + ts / 1000 + "), " + ts + ", 'id-" + ts + "', '" + app + "', 'main-class', 'INFO', 'm', "
                + rate + ", " + days + ", '" + importance + "')");
    }

    static void insertStats(ClickHouse ch, String table, String app, String reason, long n, long ts) {
        ch.query("INSERT INTO " + table + " (ts, ts_ms, app, kind, level, reason, count, retention_days) VALUES (toDateTime("
                + ts / 1000 + "), " + ts + ", '" + app + "', 'log', 'INFO', '" + reason + "', " + n + ", 30)");
    }

    private static JsonNode json(ClickHouse ch, String... extra) throws Exception {
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("report", "--clickhouse-url", ch.url(), "--database", db(ch),
                "--format", "json"), java.util.Arrays.stream(extra)).toArray(String[]::new);
        String result = run(args);
        assertThat(result).startsWith("0\n");
        return new ObjectMapper().readTree(result.substring(2));
    }

    @EachClickHouse
    void jsonSumsStatsPerReasonAndReweightsStoredRows(ClickHouse ch) throws Exception {
        JsonNode all = json(ch);

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

    @EachClickHouse
    void sinceAndAppNarrowTheReport(ClickHouse ch) throws Exception {
        JsonNode recent = json(ch, "--since", "1d", "--app", "search-indexer");

        assertThat(recent).hasSize(1);
        assertThat(recent.get(0).get("received").asLong()).isEqualTo(9);
        assertThat(recent.get(0).get("stored").asLong()).isEqualTo(2);
        assertThat(recent.get(0).get("dropped_by_reason").has("min_level")).isFalse();
    }

    @EachClickHouse
    void tableAndCsvHaveOneLinePerAppAfterTheHeader(ClickHouse ch) {
        String table = run("report", "--clickhouse-url", ch.url(), "--database", db(ch));
        String csv = run("report", "--clickhouse-url", ch.url(), "--database", db(ch), "--format", "csv");

        assertThat(table.lines().toList()).hasSize(4);
        assertThat(table).contains("search-indexer", "min_level=10, rate_limit=4, sampled=3");
        List<String> rows = csv.lines().toList();
        assertThat(rows).hasSize(4);
        assertThat(rows.get(3)).startsWith("search-indexer,main-class,low,20,3,0,0,17,\"min_level=10, rate_limit=4, sampled=3\",3,6,7,2,");
    }

    @EachClickHouse
    void aJdbcUrlThatNamesTheDatabaseGivesTheSameReport(ClickHouse ch) throws Exception {
        String jdbc = "jdbc:clickhouse://127.0.0.1:" + ch.httpPort() + "/" + db(ch) + "?ssl=false";
        String result = run("report", "--clickhouse-url", jdbc, "--format", "json");

        assertThat(result).startsWith("0\n");
        JsonNode viaJdbc = new ObjectMapper().readTree(result.substring(2));
        JsonNode viaHttp = json(ch);
        assertThat(viaJdbc).hasSize(2);
        for (int i = 0; i < 2; i++) { // bytes on disk may change as the server merges parts between the two runs
            ((com.fasterxml.jackson.databind.node.ObjectNode) viaJdbc.get(i)).remove("bytes_on_disk");
            ((com.fasterxml.jackson.databind.node.ObjectNode) viaHttp.get(i)).remove("bytes_on_disk");
        }
        assertThat(viaJdbc).isEqualTo(viaHttp);
    }

    @EachClickHouse
    void aDatabaseWithoutTagpipeTablesIsAClearErrorNotAStackTrace(ClickHouse ch) {
        String result = run("report", "--clickhouse-url", ch.url(), "--database", "system");

        assertThat(result).startsWith("1\n").contains("no table system.logs").contains("has the sink run").doesNotContain("Exception");
    }

    @org.junit.jupiter.api.Test
    void anUnreachableServerIsAClearError() {
        String result = run("report", "--clickhouse-url", "http://127.0.0.1:1", "--database", "tagpipe");

        assertThat(result).startsWith("1\n").contains("unreachable");
    }
}
