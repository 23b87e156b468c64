package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TagpipeTest {
    @Test
    void helpListsEveryRegisteredCommand() {
        CommandLine cli = Tagpipe.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));

        assertThat(cli.execute("--help")).isZero();

        assertThat(cli.getSubcommands()).isNotEmpty();
        cli.getSubcommands().keySet().forEach(name -> assertThat(out.toString()).contains(name));
    }

    @Test
    void unknownCommandFailsWithUsage() {
        CommandLine cli = Tagpipe.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("no-such-command")).isNotZero();
        assertThat(err.toString()).contains("no-such-command");
    }

    @Test
    void demoRefusesALocalClickHouseKindTogetherWithAnExistingServer() {
        CommandLine cli = Tagpipe.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("demo", "--clickhouse", "current", "--clickhouse-url", "http://127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("--clickhouse starts a local ClickHouse", "give one of them");
    }

    @Test
    void demoNamesTheLocalClickHouseKindsItKnows() {
        CommandLine cli = Tagpipe.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("demo", "--clickhouse", "newest")).isEqualTo(2);
        assertThat(err.toString()).contains("--clickhouse must be legacy or current, not 'newest'");
    }
}
