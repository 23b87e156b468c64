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
        assertThat(demo("--clickhouse", "current", "--clickhouse-url", "http://127.0.0.1:1"))
                .startsWith("2\n").contains("--clickhouse starts a local ClickHouse", "give one of them");
    }

    @Test
    void demoNamesTheLocalClickHouseKindsItKnows() {
        assertThat(demo("--clickhouse", "newest")).startsWith("2\n")
                .contains("--clickhouse must be legacy or current, not 'newest'");
    }

    @Test
    void demoNamesWhatIsWrongWithItsClickHouseUrlBeforeStartingAnything() {
        assertThat(demo("--clickhouse-url", "jdbc:clickhouse://127.0.0.1/logs")).startsWith("2\n")
                .contains("--clickhouse-url 'jdbc:clickhouse://127.0.0.1/logs': missing port");
        assertThat(demo("--clickhouse-url", "jdbc:ch://127.0.0.1:8123/logs", "--database", "other")).startsWith("2\n")
                .contains("--clickhouse-url names database 'logs' but --database is 'other'");
    }

    /** The exit code of {@code tagpipe demo ARGS}, a line break, then what it printed to err. */
    private static String demo(String... args) {
        CommandLine cli = TagpipeDev.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int rc = cli.execute(java.util.stream.Stream.concat(java.util.stream.Stream.of("demo"), java.util.Arrays.stream(args))
                .toArray(String[]::new));
        return rc + "\n" + err;
    }
}
