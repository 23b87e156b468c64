package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad policies are refused before any connection is made: no broker needed (the address is unroutable). */
class PolicyCommandTest {
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Tagpipe.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @Test
    void setWithBadValuesExitsNonZeroAndNamesEveryProblem() {
        int rc = run("policy", "--bootstrap-servers", "127.0.0.1:1", "set", "billing-api", "--importance", "hgih",
                "--sample-rate", "2", "--retention", "-3d", "--max-rate", "fast", "--min-level", "LOUD", "--keep", "ERROR,NOPE");
        assertThat(rc).isEqualTo(PolicyCommand.INVALID);
        assertThat(err.toString()).contains("nothing written", "importance: 'hgih'", "sample_rate: must be a number from 0 to 1, got 2.0",
                "--retention: expected days", "--max-rate: expected records per second", "min_level: 'LOUD'",
                "always_keep_levels: 'NOPE'");
    }

    @Test
    void setRefusesAnUnknownShedValueNamingTheField() {
        int rc = run("policy", "--bootstrap-servers", "127.0.0.1:1", "set", "billing-api", "--shed", "sometimes");
        assertThat(rc).isEqualTo(PolicyCommand.INVALID);
        assertThat(err.toString()).contains("nothing written", "shed: 'sometimes' is not one of never, last, early");
    }

    @Test
    void setRefusesALabelThatRecordsCouldNeverCarry() {
        assertThat(run("policy", "--bootstrap-servers", "127.0.0.1:1", "set", "Billing API", "--importance", "high"))
                .isEqualTo(PolicyCommand.INVALID);
        assertThat(err.toString()).contains("did you mean 'billing-api'");
    }

    @Test
    void applyValidatesTheWholeFileBeforeWritingAnything(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policies.yaml");
        Files.writeString(file, "billing-api: {importance: high}\nsearch: {importance: low, smaple_rate: 0.2}\n");
        assertThat(run("policy", "--bootstrap-servers", "127.0.0.1:1", "apply", file.toString())).isEqualTo(PolicyCommand.INVALID);
        assertThat(err.toString()).contains("search: unknown field 'smaple_rate'");
    }

    @Test
    void topicsCreateRejectsNonPositivePartitions() {
        assertThat(run("topics", "create", "--bootstrap-servers", "127.0.0.1:1", "--partitions", "0")).isNotZero();
        assertThat(err.toString()).contains("--partitions");
    }
}
