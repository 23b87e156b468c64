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
    void theProductionProgramHasNoDeveloperCommands() {
        assertThat(Tagpipe.commandLine().getSubcommands()).doesNotContainKeys("demo", "bench");
    }

    @Test
    void unknownCommandFailsWithUsage() {
        CommandLine cli = Tagpipe.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("no-such-command")).isNotZero();
        assertThat(err.toString()).contains("no-such-command");
    }
}
