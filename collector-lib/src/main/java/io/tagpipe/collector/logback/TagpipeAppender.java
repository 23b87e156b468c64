package io.tagpipe.collector.logback;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.tagpipe.collector.LogEntry;
import io.tagpipe.collector.MarkerNames;
import io.tagpipe.collector.SenderBuilder;
import io.tagpipe.collector.TagpipeSender;
import io.tagpipe.wire.Level;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * Logback appender sending every event to tagpipe without blocking the logging thread.
 *
 * <pre>{@code
 * <appender name="TAGPIPE" class="io.tagpipe.collector.logback.TagpipeAppender">
 *   <bootstrapServers>kafka:9092</bootstrapServers>
 *   <app>billing-api</app>                      <!-- optional: detected otherwise -->
 *   <producerConfig>security.protocol=SSL</producerConfig>  <!-- repeatable -->
 * </appender>
 * }</pre>
 * Unset settings fall back to the {@code TAGPIPE_*} environment variables.
 *
 * <p>Attrs of a record: the event's SLF4J 2 key-value pairs ({@code logger.atInfo().addKeyValue("order", 42)},
 * values as {@code String.valueOf}, a repeated key keeps its last value), {@code marker} (see
 * {@link MarkerNames}), then the MDC; a name clash goes to the key-value pair.
 */
public class TagpipeAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private final SenderBuilder builder = TagpipeSender.fromEnv();
    private TagpipeSender sender;
    private boolean ownsSender;
    private Duration closeTimeout = Duration.ofSeconds(5);

    public void setBootstrapServers(String s) { builder.bootstrapServers(s); }
    public void setApp(String s) { builder.app(s); }
    public void setTopic(String s) { builder.topic(s); }
    public void setQueueCapacity(int n) { builder.queueCapacity(n); }
    public void setMaxMessageChars(int n) { builder.maxMessageChars(n); }
    public void setKafkaConfigFile(String file) { builder.kafkaConfigFile(file); }
    public void setCloseTimeoutMillis(long ms) { closeTimeout = Duration.ofMillis(ms); }

    /** One producer setting as {@code key=value}; repeat the element for more. */
    public void addProducerConfig(String keyValue) {
        int eq = keyValue == null ? -1 : keyValue.indexOf('=');
        if (eq <= 0) {
            addError("producerConfig must be key=value, got '" + keyValue + "'");
            return;
        }
        builder.producerProperty(keyValue.substring(0, eq).strip(), keyValue.substring(eq + 1).strip());
    }

    /** Programmatic use and tests: send through this sender (not closed by the appender). */
    public void setSender(TagpipeSender sender) {
        this.sender = sender;
    }

    @Override
    public void start() {
        if (sender == null) {
            try {
                sender = builder.shutdownHook(true).closeTimeout(closeTimeout).build();
                ownsSender = true;
            } catch (IllegalArgumentException e) {
                addError("tagpipe appender not started: " + e.getMessage());
                return;
            }
        }
        addInfo("tagpipe: app=" + sender.identity().label() + " (" + sender.identity().source() + ")");
        super.start();
    }

    @Override
    public void stop() {
        super.stop();
        if (ownsSender && sender != null) {
            sender.close(closeTimeout);
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        TagpipeSender s = sender;
        if (s == null || s.isInternal(event.getLoggerName()) || s.dropIfFull()) {
            return; // a full queue: counted, and the event is not even formatted
        }
        try {
            IThrowableProxy proxy = event.getThrowableProxy();
            Throwable thrown = proxy instanceof ThrowableProxy tp ? tp.getThrowable() : null;
            String text = proxy != null && thrown == null ? ThrowableProxyUtil.asString(proxy) : null;
            Map<String, String> mdc = event.getMDCPropertyMap();
            String marker = MarkerNames.join(event.getMarkerList(), Marker::getName, Marker::iterator);
            s.log(new LogEntry(event.getTimeStamp(), Level.parse(event.getLevel().toString()), event.getLoggerName(),
                    event.getThreadName(), event.getFormattedMessage(), thrown, text, mdc,
                    keyValues(event.getKeyValuePairs()), marker));
        } catch (RuntimeException | LinkageError e) {
            addError("tagpipe: event not sent", e);
        }
    }

    /** Bounded like attrs: past {@link TagpipeSender#MAX_ATTRS} distinct keys, further keys are not read. */
    private static Map<String, Object> keyValues(List<KeyValuePair> pairs) {
        if (pairs == null || pairs.isEmpty()) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeyValuePair p : pairs) {
            if (p == null || p.key == null) {
                continue;
            }
            if (out.size() >= TagpipeSender.MAX_ATTRS && !out.containsKey(p.key)) {
                break;
            }
            out.put(p.key, p.value);
        }
        return out;
    }
}
