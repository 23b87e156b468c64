package io.tagpipe.collector.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagpipe.collector.TagpipeSender;
import io.tagpipe.collector.testing.InMemorySink;
import io.tagpipe.wire.Envelope;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.junit.jupiter.api.Test;

class TagpipeAppenderTest {
    @Test
    void eventsCarryLevelContextSpanAndException() {
        InMemorySink sink = new InMemorySink();
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
