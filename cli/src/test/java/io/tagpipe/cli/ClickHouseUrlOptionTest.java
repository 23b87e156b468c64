package io.tagpipe.cli;

import static io.tagpipe.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;

import io.tagpipe.sink.SinkConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --clickhouse-url} in each command that takes it: both forms, and a bad URL named before anything connects. */
class ClickHouseUrlOptionTest {

    @Test
    void aJdbcUrlNamesTheDatabaseWhenDatabaseIsNotGiven() {
        assumeTrue(System.getenv("TAGPIPE_CLICKHOUSE_DATABASE") == null, "the environment sets the database");

        assertThat(report("--clickhouse-url", "jdbc:clickhouse://ch1:8123/logs").clickhouse.database()).isEqualTo("logs");
        assertThat(report("--clickhouse-url", "jdbc:ch://ch1:8123").clickhouse.database()).isEqualTo("tagpipe");
        assertThat(report("--clickhouse-url", "http://ch1:8123", "--database", "x").clickhouse.database()).isEqualTo("x");
    }

    @Test
    void theSinkCommandConnectsToTheHttpUrlOfAJdbcUrl() {
        SinkCommand sink = new SinkCommand();
        new CommandLine(sink).parseArgs("--clickhouse-url", "jdbc:clickhouse://ch1:8443/logs?ssl=true");
        SinkConfig c = sink.config(Map.of());

        assertThat(c.clickhouseUrl()).isEqualTo("https://ch1:8443");
        assertThat(c.database()).isEqualTo("logs");
    }

    @Test
    void reportNamesTheSettingOfABadUrl() {
        assertThat(run("report", "--clickhouse-url", "ftp://ch1:8123"))
                .startsWith("1\ntagpipe report: --clickhouse-url 'ftp://ch1:8123': unknown scheme 'ftp'");
        assertThat(run("report", "--clickhouse-url", "jdbc:clickhouse://ch1:8123/logs", "--database", "other"))
                .startsWith("1\ntagpipe report: --clickhouse-url names database 'logs' but --database is 'other'");
    }

    @Test
    void retentionAndPurgeRefuseABadUrlBeforeAskingOrConnecting() {
        assertThat(run("retention", "run", "--clickhouse-url", "jdbc:clickhouse://ch1/logs"))
                .startsWith("2\n").contains("--clickhouse-url 'jdbc:clickhouse://ch1/logs': missing port");
        assertThat(run("purge", "some-app", "--clickhouse-url", "http://ch1:8123?user=x"))
                .startsWith("2\n").contains("unsupported parameter 'user=x'").doesNotContain("Type the app name");
    }

    @Test
    void theSinkCommandRejectsABadUrlAsAUsageError() {
        assertThat(run("sink", "--clickhouse-url", "http://:8123", "--metrics-port", "0"))
                .startsWith("2\n").contains("--clickhouse-url 'http://:8123': missing host");
    }

    private static ReportCommand report(String... args) {
        CommandLine cli = Tagpipe.commandLine();
        cli.parseArgs(java.util.stream.Stream.concat(java.util.stream.Stream.of("report"), java.util.Arrays.stream(args))
                .toArray(String[]::new));
        return cli.getSubcommands().get("report").getCommand();
    }
}
