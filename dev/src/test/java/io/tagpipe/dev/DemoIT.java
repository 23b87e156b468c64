package io.tagpipe.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.EachClickHouse;
import io.tagpipe.testkit.RealServices;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A short {@code tagpipe demo} end to end: its own embedded broker, the test's real ClickHouse (so
 * the rows can be checked after the demo stopped everything it started), sample apps as real
 * processes (four JVMs and, where python3 + confluent_kafka exist, the Python one).
 */
@ExtendWith(RealServices.class)
class DemoIT {
    private static final Pattern PRODUCED = Pattern.compile("(\\d+) records produced by (\\d+) apps");

    @EachClickHouse
    void shortDemoStoresEveryAppWithItsLabelAppliesPoliciesAndWritesTheReport(ClickHouse clickhouse, @TempDir Path work)
            throws Exception {
        String db = RealServices.unique("demo");
        System.setProperty("tagpipe.home", System.getProperty("tagpipe.repo.dir", Path.of("..").toAbsolutePath().toString()));
        StringWriter out = new StringWriter();
        CommandLine cli = TagpipeDev.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));

        int rc = cli.execute("demo", "--duration", "24", "--work-dir", work.toString(), "--clickhouse-url", clickhouse.url(),
                "--database", db, "--progress-interval", "4");

        String text = out.toString();
        assertThat(rc).as(text).isZero();
        assertThat(text).contains("caught up:", "policy of 'billing-worker' set");
        boolean python = text.contains("search-api      collector-lib/python");

        String labels = clickhouse.query("SELECT app, app_source FROM (SELECT app, app_source FROM " + db + ".logs UNION ALL "
                + "SELECT app, app_source FROM " + db + ".metrics) GROUP BY app, app_source ORDER BY app");
        assertThat(labels.lines()).contains("billing-api\tmain-class", "billing-worker\tmain-class", "search-indexer\tmain-class",
                "nightly-report\tmain-class");
        if (python) {
            assertThat(labels.lines()).contains("search-api\tscript");
        }

        assertThat(stat(clickhouse, db, "search-indexer", "rate_limit")).isPositive();
        assertThat(stat(clickhouse, db, "search-indexer", "min_level")).isPositive();
        // the policy change: billing-worker rows kept as 'high' before, as 'low' after, and DEBUG dropped after
        assertThat(clickhouse.query("SELECT DISTINCT importance FROM " + db + ".logs WHERE app = 'billing-worker' ORDER BY importance")
                .lines()).as(text).containsExactly("high", "low");
        assertThat(stat(clickhouse, db, "billing-worker", "min_level")).isPositive();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + db + ".logs WHERE app = 'billing-worker' AND importance = 'low' "
                + "AND level = 'DEBUG'")).isZero();

        Map<String, JsonNode> report = report(clickhouse, db);
        assertThat(report.keySet()).contains("billing-api", "billing-worker", "search-indexer", "nightly-report");
        long received = 0;
        for (JsonNode app : report.values()) {
            assertThat(app.get("kept").asLong() + app.get("dropped").asLong()).as(app.toString()).isEqualTo(app.get("received").asLong());
            assertThat(app.get("stored").asLong()).as(app.toString()).isEqualTo(app.get("kept").asLong());
            received += app.get("received").asLong();
        }
        Matcher m = PRODUCED.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        assertThat(received).as("every record the apps produced is counted in ClickHouse's ingest_stats").isEqualTo(Long.parseLong(m.group(1)));
        assertThat(report.get("billing-api").get("dropped").asLong()).isZero();
        assertThat(report.get("billing-api").get("retention_days").asInt()).isEqualTo(90);

        Path html = work.resolve("report.html");
        assertThat(html).exists();
        String page = Files.readString(html);
        for (String app : report.keySet()) {
            assertThat(page).contains("<svg class=\"chart\" data-app=\"" + app + "\"");
        }
        assertThat(Pattern.compile("<svg class=\"chart\"").matcher(page).results().count()).isEqualTo(report.size());
    }

    private static long stat(ClickHouse ch, String db, String app, String reason) {
        return ch.queryLong("SELECT sum(count) FROM " + db + ".ingest_stats WHERE app = '" + app + "' AND reason = '" + reason + "'");
    }

    private static Map<String, JsonNode> report(ClickHouse ch, String db) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = TagpipeDev.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("report", "--clickhouse-url", ch.url(), "--database", db, "--format", "json")).isZero();
        Map<String, JsonNode> byApp = new HashMap<>();
        new ObjectMapper().readTree(out.toString()).forEach(n -> byApp.put(n.get("app").asText(), n));
        return byApp;
    }
}
