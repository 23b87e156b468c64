package io.tagpipe.collector.logback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.tagpipe.collector.SenderBuilder;
import io.tagpipe.collector.TagpipeSender;
import io.tagpipe.collector.testing.InMemorySink;
import io.tagpipe.wire.Envelope;
import org.junit.jupiter.api.Test;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.slf4j.Marker;
import org.slf4j.helpers.BasicMarkerFactory;

class TagpipeAppenderTest {
    @Test
    void eventsCarryLevelLoggerThreadMdcTraceAndException() {
        InMemorySink sink = new InMemorySink();
        LoggerContext ctx = new LoggerContext();
        // tests run with slf4j-simple as the SLF4J provider; in an app, org.slf4j.MDC is this adapter
        LogbackMDCAdapter mdc = new LogbackMDCAdapter();
        ctx.setMDCAdapter(mdc);
        TagpipeAppender appender = new TagpipeAppender();
        appender.setContext(ctx);
        appender.setSender(TagpipeSender.builder().app("shop").sink(sink).shutdownHook(false).build());
        appender.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);

        mdc.put("order", "o-7");
        mdc.put("trace_id", "abc");
        try {
            ctx.getLogger("com.acme.Checkout").error("failed {}", 42, new IllegalStateException("card declined"));
            ctx.getLogger("org.apache.kafka.common.config.AbstractConfig").info("ProducerConfig values: ...");
        } finally {
            mdc.clear();
        }

        assertThat(sink.logs()).hasSize(1);
        Envelope e = sink.logs().get(0);
        assertThat(e.app()).isEqualTo("shop");
        assertThat(e.level()).isEqualTo("ERROR");
        assertThat(e.logger()).isEqualTo("com.acme.Checkout");
        assertThat(e.thread()).isEqualTo(Thread.currentThread().getName());
        assertThat(e.message()).isEqualTo("failed 42");
        assertThat(e.traceId()).isEqualTo("abc");
        assertThat(e.attrs()).containsEntry("order", "o-7").doesNotContainKey("trace_id");
        assertThat(e.exception()).startsWith("java.lang.IllegalStateException: card declined\n\tat ");
    }

    private final InMemorySink sink = new InMemorySink();
    private final LoggerContext ctx = new LoggerContext();
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();

    private Logger attached(String name) {
        ctx.setMDCAdapter(mdc);
        TagpipeAppender appender = new TagpipeAppender();
        appender.setContext(ctx);
        appender.setSender(TagpipeSender.builder().app("shop").sink(sink).shutdownHook(false).build());
        appender.start();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return ctx.getLogger(name);
    }

    @Test
    void keyValuePairsAndNestedMarkersBecomeAttrsBesideTheMdc() {
        Logger log = attached("com.acme.Checkout");
        BasicMarkerFactory markers = new BasicMarkerFactory(); // its own, not the test's SLF4J provider
        Marker security = markers.getMarker("SECURITY");
        security.add(markers.getMarker("AUDIT"));
        mdc.put("tenant", "eu");
        mdc.put("request", "r-1");
        try {
            log.atInfo().addKeyValue("order", 42).addKeyValue("paid", true).addKeyValue("tenant", "us")
                    .addKeyValue("coupon", (Object) null).addMarker(security).addMarker(markers.getMarker("BILLING"))
                    .log("paid {}", 42);
        } finally {
            mdc.clear();
        }

        Envelope e = sink.logs().get(0);
        assertThat(e.message()).isEqualTo("paid 42");
        assertThat(e.attrs()).isEqualTo(Map.of("order", "42", "paid", "true", "tenant", "us", "request", "r-1",
                TagpipeSender.MARKER_ATTR, "SECURITY,AUDIT,BILLING"));
    }

    @Test
    void aRepeatedKeyKeepsItsLastValueAndAHugeValueIsCapped() {
        Logger log = attached("com.acme.Checkout");
        String huge = "x".repeat(5_000_000);
        log.atWarn().addKeyValue("step", "1").addKeyValue("step", "2").addKeyValue("blob", huge).log("retry");

        Envelope e = sink.logs().get(0);
        assertThat(e.attrs()).containsOnlyKeys("step", "blob").containsEntry("step", "2");
        assertThat(e.attrs().get("blob")).startsWith("xxx").endsWith(" chars]").hasSizeLessThan(1100);
    }

    @Test
    void keyValuePairsAreReadOnlyUpToTheAttrLimit() {
        Logger log = attached("com.acme.Checkout");
        var call = log.atInfo();
        for (int i = 0; i < 10_000; i++) {
            call = call.addKeyValue("k" + i, i);
        }
        call.log("many");
        assertThat(sink.logs().get(0).attrs()).hasSize(TagpipeSender.MAX_ATTRS).containsEntry("k0", "0");
    }

    @Test
    void aTraceIdKeyValueBecomesTheTraceId() {
        attached("com.acme.Checkout").atInfo().addKeyValue("trace_id", "t-7").addKeyValue("order", 1).log("x");
        Envelope e = sink.logs().get(0);
        assertThat(e.traceId()).isEqualTo("t-7");
        assertThat(e.attrs()).isEqualTo(Map.of("order", "1"));
    }

    @Test
    void aFullQueueCountsTheDropWithoutFormattingTheEvent() {
        InMemorySink sink = new InMemorySink(2);
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new LogbackMDCAdapter());
        TagpipeAppender appender = new TagpipeAppender();
        appender.setContext(ctx);
        appender.setSender(TagpipeSender.builder().app("shop").sink(sink).shutdownHook(false).build());
        appender.start();
        int[] formatted = {0};
        for (int i = 0; i < 5; i++) {
            ch.qos.logback.classic.spi.LoggingEvent event = new ch.qos.logback.classic.spi.LoggingEvent(
                    Logger.class.getName(), ctx.getLogger("com.acme.Checkout"), ch.qos.logback.classic.Level.INFO,
                    "order {}", null, new Object[] {i}) {
                @Override
                public String getFormattedMessage() {
                    formatted[0]++;
                    return super.getFormattedMessage();
                }
            };
            appender.doAppend(event);
        }
        assertThat(sink.logs()).extracting(Envelope::message).containsExactly("order 0", "order 1");
        assertThat(sink.droppedCount("queue_full")).isEqualTo(3);
        assertThat(formatted[0]).as("events formatted: only the two that had room").isEqualTo(2);
    }

    @Test
    void invalidConfigurationDoesNotStartAndDoesNotThrow() {
        LoggerContext ctx = new LoggerContext();
        TagpipeAppender appender = new TagpipeAppender();
        appender.setContext(ctx);
        appender.setQueueCapacity(0);
        appender.start();
        assertThat(appender.isStarted()).isFalse();
        assertThat(ctx.getStatusManager().getCopyOfStatusList())
                .anySatisfy(s -> assertThat(s.getMessage()).contains("queueCapacity must be at least 1"));
    }
}
