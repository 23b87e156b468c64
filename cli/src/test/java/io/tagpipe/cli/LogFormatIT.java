package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.topics.TopicAdmin;
import io.tagpipe.testkit.ChildJvm;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.ProcessorTopics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tagpipe processor} as a real child JVM on a real broker, started, running and stopped by SIGTERM:
 * with {@code TAGPIPE_LOG_FORMAT=json} every line it prints (stdout and stderr) is one JSON event, Kafka's
 * multi-line config dumps included; without it, the text lines as before.
 */
class LogFormatIT {
    /**
     * Its own broker: the processor creates the default {@code tagpipe.*} topics, which must not exist on the shared
     * broker other tests (PolicyCliIT's {@code topics create}) expect to create.
     */
    private static KafkaBroker kafka;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void broker(@TempDir Path dir) {
        kafka = KafkaBroker.start(dir.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void jsonMakesEveryLineTheProcessorPrintsOneJsonEvent(@TempDir Path dir) throws Exception {
        List<String> lines = runProcessor(dir, Map.of("TAGPIPE_LOG_FORMAT", "json",
                "TAGPIPE_LOG_LEVEL", "info,org.apache.kafka=info"));

        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode event = json.readTree(line);
            assertThat(event.isObject()).as(line).isTrue();
            assertThat(event.path("timestamp").isNumber()).as(line).isTrue();
            assertThat(List.of(event.path("level").asText(), event.path("loggerName").asText(),
                    event.path("threadName").asText())).as(line).doesNotContain("");
            assertThat(event.has("formattedMessage")).as(line).isTrue();
            events.add(event);
        }
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("loggerName").asText()).isEqualTo("tagpipe.processor");
            assertThat(e.path("formattedMessage").asText()).startsWith("tagpipe processor running: ");
        }).anySatisfy(e -> {
            assertThat(e.path("loggerName").asText()).as("from the shutdown hook, on SIGTERM").isEqualTo("tagpipe.processor");
            assertThat(e.path("formattedMessage").asText()).startsWith("tagpipe processor: stopping");
        }).anySatisfy(e -> {
            assertThat(e.path("loggerName").asText()).isEqualTo("io.tagpipe.processor.ProcessorApp");
            assertThat(e.path("formattedMessage").asText()).endsWith("-> RUNNING");
        }).anySatisfy(e -> {
            assertThat(e.path("loggerName").asText()).as("a Kafka config dump, many lines in one event")
                    .startsWith("org.apache.kafka.");
            assertThat(e.path("formattedMessage").asText()).contains("\n");
        });
    }

    @Test
    void textStaysTheDefault(@TempDir Path dir) throws Exception {
        List<String> lines = runProcessor(dir, Map.of());

        assertThat(lines).contains("tagpipe processor starting")
                .anyMatch(l -> l.startsWith("tagpipe processor running: "))
                .anyMatch(l -> l.matches("\\[[^]]+] INFO io\\.tagpipe\\.processor\\.ProcessorApp - state \\w+ -> RUNNING"))
                .as("Kafka's own INFO lines are left out by default")
                .noneMatch(l -> l.matches("\\[[^]]+] INFO org\\.apache\\.kafka\\..*"))
                .noneMatch(l -> l.startsWith("{"));
    }

    /** Starts the processor with {@code env}, waits until it runs, stops it with SIGTERM; everything it printed. */
    private static List<String> runProcessor(Path dir, Map<String, String> env) throws Exception {
        ClientConfig client = new ClientConfig(kafka.bootstrapServers(), new Properties());
        new TopicAdmin(client, Duration.ofSeconds(60)).createAll(ProcessorTopics.defaults(), 1, (short) 1);
        Path streams = dir.resolve("streams.properties");
        Files.writeString(streams, "state.dir=" + dir.resolve("state") + "\n");
        try (ChildJvm processor = ChildJvm.start(Tagpipe.class.getName(), List.of("processor",
                "--bootstrap-servers", kafka.bootstrapServers(), "--application-id", RealServices.unique("logs"),
                "--config", streams.toString(), "--metrics-port", "0"), env, List.of("-Xmx256m"), dir.resolve("out.log"))) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> processor.output().contains("tagpipe processor running") || !processor.isAlive());
            assertThat(processor.isAlive()).as(processor.output()).isTrue();
            assertThat(processor.terminate(60)).as(processor.output()).isEqualTo(143);
            return processor.output().lines().toList();
        }
    }
}
