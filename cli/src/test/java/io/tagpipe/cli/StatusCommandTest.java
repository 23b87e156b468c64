package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StatusCommandTest {
    @Test
    void aTimeoutWithoutAUnitOrOfZeroIsRefusedBeforeAnythingConnects() {
        for (String bad : new String[] {"10", "soon", "0s"}) {
            StringWriter err = new StringWriter();
            CommandLine cli = Tagpipe.commandLine();
            cli.setErr(new PrintWriter(err, true));

            assertThat(cli.execute("status", "--timeout", bad)).isEqualTo(2);
            assertThat(err.toString()).contains("--timeout", bad);
        }
    }

    @Test
    void groupsDefaultToTheProgramsOwn() {
        StatusCommand c = new StatusCommand();
        new CommandLine(c).parseArgs();

        assertThat(c.sink.groupId).isEqualTo(System.getenv().getOrDefault("TAGPIPE_SINK_GROUP_ID", "tagpipe-sink"));
        assertThat(c.processor.applicationId).isEqualTo(System.getenv().getOrDefault("TAGPIPE_PROCESSOR_APP_ID", "tagpipe-processor"));
    }
}
