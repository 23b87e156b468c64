package io.tagpipe.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import io.tagpipe.cli.Tagpipe;

class TagpipeDevTest {
    @Test
    void helpListsEveryProductionCommandAndTheDeveloperOnes() {
        CommandLine cli = TagpipeDev.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));

        assertThat(cli.execute("--help")).isZero();

        assertThat(cli.getSubcommands()).containsKeys("demo", "bench").containsKeys(
                Tagpipe.commandLine().getSubcommands().keySet().toArray(String[]::new));
        cli.getSubcommands().keySet().forEach(name -> assertThat(out.toString()).contains(name));
    }

    @Test
    void demoRefusesALocalClickHouseKindTogetherWithAnExistingServer() {
        CommandLine cli = TagpipeDev.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("demo", "--clickhouse", "current", "--clickhouse-url", "http://127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("--clickhouse starts a local ClickHouse", "give one of them");
    }

    @Test
    void demoNamesTheLocalClickHouseKindsItKnows() {
        CommandLine cli = TagpipeDev.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("demo", "--clickhouse", "newest")).isEqualTo(2);
        assertThat(err.toString()).contains("--clickhouse must be legacy or current, not 'newest'");
    }

    @Test
    void demoNamesWhatIsWrongWithItsClickHouseUrlBeforeStartingAnything() {
        CommandLine cli = TagpipeDev.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("demo", "--clickhouse-url", "jdbc:clickhouse://127.0.0.1/logs")).isEqualTo(2);
        assertThat(err.toString()).contains("--clickhouse-url 'jdbc:clickhouse://127.0.0.1/logs': missing port");
        assertThat(cli.execute("demo", "--clickhouse-url", "jdbc:ch://127.0.0.1:8123/logs", "--database", "other"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--clickhouse-url names database 'logs' but --database is 'other'");
    }
}
