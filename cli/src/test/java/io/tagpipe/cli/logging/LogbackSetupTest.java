package io.tagpipe.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MarkerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;

/** The appenders and levels {@link LogbackSetup} attaches, on a private Logback context writing into buffers. */
class LogbackSetupTest {
    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        context.stop();
    }

    private void configure(Map<String, String> env) {
        context.setMDCAdapter(new LogbackMDCAdapter());
        LogbackSetup.apply(context, LogSettings.from(env, new Properties()),
                new LogbackSetup.Outputs(() -> into(stdout), () -> into(stderr)));
    }

    private static OutputStreamAppender<ILoggingEvent> into(ByteArrayOutputStream buffer) {
        OutputStreamAppender<ILoggingEvent> a = new OutputStreamAppender<>();
        a.setOutputStream(buffer);
        return a;
    }

    private static List<String> lines(ByteArrayOutputStream buffer) {
        return buffer.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void jsonWritesEveryEventAsOneObjectPerLineOnStderr() throws Exception {
        configure(Map.of("TAGPIPE_LOG_FORMAT", "json"));
        Logger sink = context.getLogger("io.tagpipe.sink.SinkRunner");
        Logger status = context.getLogger("tagpipe.sink");

        context.getMDCAdapter().put("request", "r-17");
        sink.atInfo().addKeyValue("rows", 42).addMarker(MarkerFactory.getMarker("BATCH"))
                .log("inserted {} rows into \"logs\"\nsecond line", 42);
        context.getMDCAdapter().clear();
        sink.warn("insert failed", new IllegalStateException("server gone", new java.io.IOException("reset")));
        status.info("tagpipe sink");
        context.getLogger("org.apache.kafka.clients.NetworkClient").info("hidden at the default WARN");

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines(stderr)) {
            events.add(json.readTree(line));
        }
        assertThat(stdout.size()).isZero();
        assertThat(events).hasSize(3);

        JsonNode info = events.get(0);
        assertThat(info.path("timestamp").isNumber()).isTrue();
        assertThat(info.path("level").asText()).isEqualTo("INFO");
        assertThat(info.path("loggerName").asText()).isEqualTo("io.tagpipe.sink.SinkRunner");
        assertThat(info.path("threadName").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(info.path("formattedMessage").asText()).isEqualTo("inserted 42 rows into \"logs\"\nsecond line");
        assertThat(info.path("mdc").path("request").asText()).isEqualTo("r-17");
        assertThat(info.path("kvpList").toString()).contains("\"rows\"", "42");
        assertThat(info.path("markers").toString()).contains("BATCH");
        assertThat(info.has("message")).as("the {} template is not repeated").isFalse();

        JsonNode warn = events.get(1);
        assertThat(warn.path("level").asText()).isEqualTo("WARN");
        assertThat(warn.path("throwable").path("className").asText()).isEqualTo(IllegalStateException.class.getName());
        assertThat(warn.path("throwable").path("message").asText()).isEqualTo("server gone");
        assertThat(warn.path("throwable").path("stepArray").isArray()).isTrue();
        assertThat(warn.path("throwable").path("cause").path("message").asText()).isEqualTo("reset");

        assertThat(events.get(2).path("loggerName").asText()).isEqualTo("tagpipe.sink");
        assertThat(events.get(2).path("formattedMessage").asText()).isEqualTo("tagpipe sink");
    }

    @Test
    void textKeepsTheSlf4jSimpleLookOnStderrAndStatusLinesPlainOnStdout() {
        configure(Map.of());
        String thread = Thread.currentThread().getName();

        context.getLogger("io.tagpipe.processor.ProcessorApp").info("state {} -> {}", "REBALANCING", "RUNNING");
        context.getLogger("io.tagpipe.sink.Sink").error("sink stopped: boom", new IllegalStateException("boom"));
        context.getLogger("tagpipe.processor").info("tagpipe processor starting");
        context.getLogger("tagpipe.sink").error("tagpipe sink: ClickHouse refused");
        context.getLogger("org.apache.kafka.clients.consumer.ConsumerConfig").info("hidden at the default WARN");
        context.getLogger("io.tagpipe.sink.SinkRunner").debug("hidden at the default INFO");

        assertThat(lines(stdout)).containsExactly("tagpipe processor starting");
        List<String> err = lines(stderr);
        assertThat(err.get(0)).isEqualTo("[" + thread + "] INFO io.tagpipe.processor.ProcessorApp - state REBALANCING -> RUNNING");
        assertThat(err.get(1)).isEqualTo("[" + thread + "] ERROR io.tagpipe.sink.Sink - sink stopped: boom");
        assertThat(err.get(2)).isEqualTo(IllegalStateException.class.getName() + ": boom");
        assertThat(err).contains("tagpipe sink: ClickHouse refused")
                .noneMatch(l -> l.contains("hidden"))
                .noneMatch(l -> l.startsWith("{"));
    }

    @Test
    void theStatusLinesStayWhenTheRestIsQuietened() {
        configure(Map.of("TAGPIPE_LOG_LEVEL", "warn"));

        context.getLogger("io.tagpipe.sink.SinkRunner").info("hidden at WARN");
        context.getLogger("tagpipe.sink").info("tagpipe sink");

        assertThat(lines(stdout)).containsExactly("tagpipe sink");
        assertThat(stderr.size()).isZero();
    }
}
