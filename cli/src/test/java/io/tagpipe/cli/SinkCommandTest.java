package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import io.tagpipe.sink.SinkConfig;
import io.tagpipe.sink.pressure.PressureRules;
import io.tagpipe.wire.ProcessorTopics;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SinkCommandTest {
    private static final Map<String, String> TOPIC_ENV = Map.of(
            "TAGPIPE_SINK_KEPT_TOPICS", "env.kept.critical,env.kept",
            "TAGPIPE_SINK_STATS_TOPIC", "env.stats",
            "TAGPIPE_SINK_DLQ_TOPIC", "env.dlq",
            "TAGPIPE_SINK_PRESSURE_TOPIC", "env.pressure");

    @Test
    void withoutOptionsOrEnvTheSinkReadsEveryLaneHighestFirst() {
        SinkConfig c = parse().config(Map.of());

        assertThat(c.keptTopics()).isEqualTo(ProcessorTopics.defaults().lanes());
        assertThat(String.join(",", c.keptTopics())).isEqualTo(SinkCommand.DEFAULT_KEPT); // what --help says
        assertThat(c.statsTopic()).isEqualTo(ProcessorTopics.defaults().stats());
        assertThat(c.dlqTopic()).isEqualTo(ProcessorTopics.defaults().dlq());
        assertThat(c.pressureTopic()).isEqualTo(ProcessorTopics.defaults().pressure());
    }

    @Test
    void topicsComeFromTheEnvironmentWhenNoOptionIsGiven() {
        SinkConfig c = parse().config(TOPIC_ENV);

        assertThat(c.keptTopics()).containsExactly("env.kept.critical", "env.kept");
        assertThat(c.statsTopic()).isEqualTo("env.stats");
        assertThat(c.dlqTopic()).isEqualTo("env.dlq");
        assertThat(c.pressureTopic()).isEqualTo("env.pressure");
    }

    @Test
    void optionsWinOverTheEnvironment() {
        SinkConfig c = parse("--kept-topics", "payments.kept,tagpipe.kept.critical,tagpipe.kept", "--stats-topic", "s",
                "--dlq-topic", "d", "--pressure-topic", "p").config(TOPIC_ENV);

        assertThat(c.keptTopics()).containsExactly("payments.kept", "tagpipe.kept.critical", "tagpipe.kept");
        assertThat(c.statsTopic()).isEqualTo("s");
        assertThat(c.dlqTopic()).isEqualTo("d");
        assertThat(c.pressureTopic()).isEqualTo("p");
    }

    @Test
    void pressureThresholdsComeFromFlagsOverTheEnvironmentOverTheDefaults() {
        Map<String, String> env = Map.of("TAGPIPE_SINK_PRESSURE_INSERT_LATENCY_MS", "100,200,300,400",
                "TAGPIPE_SINK_PRESSURE_HOLD_MS", "7000");
        SinkConfig fromEnv = parse().config(env);
        assertThat(fromEnv.pressureRules().insertLatencyMs().step(1)).isEqualTo(100);
        assertThat(fromEnv.pressureRules().hold()).isEqualTo(java.time.Duration.ofSeconds(7));
        assertThat(fromEnv.pressureRules().calm()).isEqualTo(PressureRules.defaults().calm());

        SinkConfig flags = parse("--pressure-insert-latency-ms", "1000,2000,4000,8000", "--pressure-backlog-age-ms",
                "5000,10000,20000,40000", "--pressure-calm-ms", "5000").config(env);
        assertThat(flags.pressureRules().insertLatencyMs().step(4)).isEqualTo(8000);
        assertThat(flags.pressureRules().backlogAgeMs().step(1)).isEqualTo(5000);
        assertThat(flags.pressureRules().calm()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(flags.pressureRules().hold()).as("from the environment").isEqualTo(java.time.Duration.ofSeconds(7));
    }

    @Test
    void aBadPressureSettingIsAUsageErrorNamingTheSettingAndTheValue() {
        assertThatThrownBy(() -> parse("--pressure-calm-ms", "soon").config(Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--pressure-calm-ms").hasMessageContaining("'soon'");
        assertThatThrownBy(() -> parse("--pressure-insert-latency-ms", "1000,2000,3000").config(Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--pressure-insert-latency-ms").hasMessageContaining("needs 4 thresholds, got 3");
        assertThatThrownBy(() -> parse().config(Map.of("TAGPIPE_SINK_PRESSURE_BACKLOG_AGE_MS", "9,8,7,6")))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("TAGPIPE_SINK_PRESSURE_BACKLOG_AGE_MS").hasMessageContaining("strictly rising");
    }

    @Test
    void aBadTopicIsAUsageErrorNamingIt() {
        SinkCommand cmd = parse("--kept-topics", "a,,b c", "--dlq-topic", "dl/q");

        assertThatThrownBy(() -> cmd.config(Map.of())).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("kept topic '' is not a valid topic name")
                .hasMessageContaining("kept topic 'b c' is not a valid topic name")
                .hasMessageContaining("DLQ topic 'dl/q' is not a valid topic name");
        assertThatThrownBy(() -> parse().config(Map.of("TAGPIPE_SINK_STATS_TOPIC", "bad topic")))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("stats topic 'bad topic'");
    }

    @Test
    void theProgramExitsWith2AndTheReasonOnABadTopic_beforeConnectingAnywhere() {
        CommandLine cli = Tagpipe.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("sink", "--kept-topics", "tagpipe.kept,tagpipe.kept", "--bootstrap-servers", "127.0.0.1:1");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("a kept topic is listed twice: [tagpipe.kept, tagpipe.kept]");
    }

    private static SinkCommand parse(String... args) {
        SinkCommand cmd = new SinkCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }
}
