package io.tagpipe.collector.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.tagpipe.collector.TagpipeSender;
import io.tagpipe.collector.testing.InMemorySink;
import io.tagpipe.wire.Envelope;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.NullConfiguration;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.message.StringMapMessage;
import org.apache.logging.log4j.message.StructuredDataMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TagpipeAppenderTest {
    private final InMemorySink sink = new InMemorySink();
    private final LoggerContext ctx = new LoggerContext("tagpipe-appender-test");

    /** A real Log4j2 logger whose only appender is ours, sending into {@link #sink}. */
    private Logger attached(String name) {
        Configuration config = new NullConfiguration();
        ctx.start(config);
        TagpipeAppender appender = TagpipeAppender.withSender("tagpipe",
                TagpipeSender.builder().app("shop").sink(sink).shutdownHook(false).build());
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, Level.ALL, null);
        config.getRootLogger().setLevel(Level.ALL);
        ctx.updateLoggers();
        return ctx.getLogger(name);
    }

    @AfterEach
    void stop() {
        ctx.stop();
        ThreadContext.clearAll();
    }

    @Test
    void stringMapMessageFieldsAndMarkerParentsBecomeAttrsBesideTheThreadContext() {
        Marker sqlUpdate = MarkerManager.getMarker("TAGPIPE_TEST_SQL_UPDATE")
                .setParents(MarkerManager.getMarker("TAGPIPE_TEST_SQL"));
        ThreadContext.put("tenant", "eu");
        ThreadContext.put("request", "r-1");
        attached("com.acme.Orders").info(sqlUpdate,
                new StringMapMessage().with("order", "42").with("tenant", "us").with("message", "stored"));

        Envelope e = sink.logs().get(0);
        assertThat(e.logger()).isEqualTo("com.acme.Orders");
        assertThat(e.attrs()).isEqualTo(Map.of("order", "42", "tenant", "us", "message", "stored", "request", "r-1",
                TagpipeSender.MARKER_ATTR, "TAGPIPE_TEST_SQL_UPDATE,TAGPIPE_TEST_SQL"));
    }

    @Test
    void mapMessageValuesAreTextAndStructuredDataFieldsToo() {
        Logger log = attached("com.acme.Orders");
        log.warn(new MapMessage<>(Map.of("amount", 12.5, "paid", false)));
        StructuredDataMessage sd = new StructuredDataMessage("order@32473", "order placed", "audit");
        sd.put("order", "42");
        log.info(sd);

        assertThat(sink.logs().get(0).attrs()).isEqualTo(Map.of("amount", "12.5", "paid", "false"));
        assertThat(sink.logs().get(1).attrs()).isEqualTo(Map.of("order", "42"));
        assertThat(sink.logs().get(1).message()).contains("order placed");
    }

    @Test
    void aHugeMapMessageIsCappedAndOtherMessagesHaveNoFields() {
        Logger log = attached("com.acme.Orders");
        StringMapMessage many = new StringMapMessage();
        for (int i = 0; i < 10_000; i++) {
            many.with(String.format("k%05d", i), "v".repeat(i == 0 ? 1_000_000 : 1));
        }
        log.info(many);
        log.info("plain {}", 1);

        Envelope e = sink.logs().get(0);
        assertThat(e.attrs()).hasSize(TagpipeSender.MAX_ATTRS).containsKey("k00000");
        assertThat(e.attrs().get("k00000")).startsWith("vvv").endsWith(" chars]").hasSizeLessThan(1100);
        assertThat(sink.logs().get(1).attrs()).isEmpty();
        assertThat(sink.logs().get(1).message()).isEqualTo("plain 1");
    }

    @Test
    void eventsCarryLevelContextSpanAndException() {
        TagpipeAppender appender = TagpipeAppender.withSender("t",
                TagpipeSender.builder().app("shop").sink(sink).shutdownHook(false).build());
        SortedArrayStringMap ctx = new SortedArrayStringMap();
        ctx.putValue("tenant", "eu");
        ctx.putValue("spanId", "s-9");
        LogEvent event = Log4jLogEvent.newBuilder().setLoggerName("com.acme.Search").setLevel(Level.WARN)
                .setMessage(new SimpleMessage("slow query")).setThreadName("worker-3").setTimeMillis(1234L)
                .setContextData(ctx).setThrown(new RuntimeException("timeout")).build();

        appender.append(event);
        appender.append(Log4jLogEvent.newBuilder().setLoggerName("org.apache.kafka.clients.NetworkClient")
                .setLevel(Level.WARN).setMessage(new SimpleMessage("disconnected")).build());

        assertThat(sink.logs()).hasSize(1);
        Envelope e = sink.logs().get(0);
        assertThat(e.level()).isEqualTo("WARN");
        assertThat(e.logger()).isEqualTo("com.acme.Search");
        assertThat(e.thread()).isEqualTo("worker-3");
        assertThat(e.ts()).isEqualTo(1234L);
        assertThat(e.spanId()).isEqualTo("s-9");
        assertThat(e.attrs()).containsEntry("tenant", "eu").doesNotContainKey("spanId");
        assertThat(e.exception()).startsWith("java.lang.RuntimeException: timeout");
        ThreadContext.clearAll();
    }
}
