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

    @Test
    void demoClusterNeedsShardsTimesReplicasEachFromOneToFour() {
        assertThat(demo("--cluster", "0x1")).startsWith("2\n").contains("--cluster needs 1..4 shards and 1..4 replicas per shard, got 0x1");
        assertThat(demo("--cluster", "2x5")).startsWith("2\n").contains("got 2x5");
        assertThat(demo("--cluster", "abc")).startsWith("2\n").contains("--cluster must be SHARDSxREPLICAS, e.g. 2x1 or 1x2, not 'abc'");
        assertThat(demo("--cluster", "2x")).startsWith("2\n").contains("not '2x'");
    }

    @Test
    void demoClusterIsLocalServersSoNotWithAnExistingServerOrTheEngine() {
        assertThat(demo("--cluster", "2x1", "--clickhouse-url", "http://127.0.0.1:8123")).startsWith("2\n")
                .contains("--cluster starts local clickhouse-server (18.16) processes: not with --clickhouse-url");
        assertThat(demo("--cluster", "1x2", "--clickhouse", "current")).startsWith("2\n")
                .contains("not with --clickhouse current");
    }

    @Test
    void demoHelpDocumentsTheClusterFlag() {
        CommandLine cli = TagpipeDev.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("demo", "--help")).isZero();
        assertThat(out.toString()).contains("--cluster=SHARDSxREPLICAS", "zookeeper");
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
