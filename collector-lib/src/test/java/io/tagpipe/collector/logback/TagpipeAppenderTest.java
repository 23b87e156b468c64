package io.tagpipe.collector.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.tagpipe.collector.SenderBuilder;
import io.tagpipe.collector.TagpipeSender;
import io.tagpipe.collector.testing.InMemorySink;
import io.tagpipe.wire.Envelope;
import org.junit.jupiter.api.Test;
import ch.qos.logback.classic.util.LogbackMDCAdapter;

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
