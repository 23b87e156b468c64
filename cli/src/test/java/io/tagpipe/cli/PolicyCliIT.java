package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;

/** The operator's commands against a real broker (the default topic names: only this test uses them here). */
@ExtendWith(RealServices.class)
class PolicyCliIT {
    private StringWriter out;
    private StringWriter err;

    private int run(KafkaBroker kafka, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = Tagpipe.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--bootstrap-servers";
        all[args.length + 1] = kafka.bootstrapServers();
        return cli.execute(all);
    }

    @Test
    void topicsCreatePolicySetGetListRmApply(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        assertThat(run(kafka, "topics", "create", "--partitions", "2")).isZero();
        assertThat(out.toString()).contains("tagpipe.policies", "created", "cleanup.policy=compact");
        assertThat(run(kafka, "topics", "create")).isZero();
        assertThat(out.toString()).contains("exists").doesNotContain("created");

        assertThat(run(kafka, "policy", "set", "billing-api", "--importance", "high", "--sample-rate", "0.2",
                "--retention", "30d", "--max-rate", "500/s", "--min-level", "INFO", "--keep", "ERROR,WARN")).isZero();
        assertThat(run(kafka, "policy", "get", "billing-api")).isZero();
        assertThat(out.toString()).contains("own policy", "sample_rate         0.2", "retention_days      30",
                "max_records_per_sec 500.0", "[WARN, ERROR]", "route               tagpipe.kept.high");

        assertThat(run(kafka, "policy", "set", "search", "--route", "no-such-topic")).isEqualTo(PolicyCommand.INVALID);
        assertThat(err.toString()).contains("topic 'no-such-topic' does not exist");

        Path file = dir.resolve("p.json");
        Files.writeString(file, "{\"*\": {\"importance\": \"low\"}, \"search\": {\"importance\": \"critical\"}}");
        assertThat(run(kafka, "policy", "apply", file.toString())).isZero();
        assertThat(run(kafka, "policy", "list")).isZero();
        assertThat(out.toString()).contains("billing-api", "\"importance\":\"low\"", "search");

        assertThat(run(kafka, "policy", "rm", "billing-api")).isZero();
        assertThat(run(kafka, "policy", "get", "billing-api")).isZero();
        assertThat(out.toString()).contains("default policy '*'", "importance          low");
    }
}
