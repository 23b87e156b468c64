package io.tagpipe.collector.log4j2;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tagpipe.collector.LogEntry;
import io.tagpipe.collector.MarkerNames;
import io.tagpipe.collector.SenderBuilder;
import io.tagpipe.collector.TagpipeSender;
import io.tagpipe.wire.Level;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginElement;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.config.plugins.validation.constraints.Required;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.util.IndexedReadOnlyStringMap;

/**
 * Log4j2 appender {@code <Tagpipe>} sending every event to tagpipe without blocking.
 *
 * <pre>{@code
 * <Tagpipe name="tagpipe" bootstrapServers="kafka:9092" app="billing-api">
 *   <Property name="security.protocol">SSL</Property>   <!-- any producer setting -->
 * </Tagpipe>
 * }</pre>
 * Unset attributes fall back to the {@code TAGPIPE_*} environment variables.
 *
 * <p>Attrs of a record: the fields of a {@code MapMessage} ({@code StringMapMessage},
 * {@code StructuredDataMessage} …, values as {@code String.valueOf}), {@code marker} (the event's
 * marker and its parents, see {@link MarkerNames}), then the ThreadContext; a name clash goes to the field.
 */
@Plugin(name = "Tagpipe", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE, printObject = true)
public final class TagpipeAppender extends AbstractAppender {
    private final TagpipeSender sender;
    private final boolean ownsSender;

    private TagpipeAppender(String name, Filter filter, TagpipeSender sender, boolean ownsSender) {
        super(name, filter, null, true, Property.EMPTY_ARRAY);
        this.sender = sender;
        this.ownsSender = ownsSender;
    }

    @PluginFactory
    public static TagpipeAppender createAppender(
            @PluginAttribute("name") @Required(message = "Tagpipe appender needs a name") String name,
            @PluginAttribute("bootstrapServers") String bootstrapServers,
            @PluginAttribute("app") String app,
            @PluginAttribute("topic") String topic,
            @PluginAttribute(value = "queueCapacity", defaultInt = 0) int queueCapacity,
            @PluginAttribute(value = "maxMessageChars", defaultInt = 0) int maxMessageChars,
            @PluginAttribute("kafkaConfigFile") String kafkaConfigFile,
            @PluginElement("Properties") Property[] properties,
            @PluginElement("Layout") Layout<? extends Serializable> ignoredLayout,
            @PluginElement("Filter") Filter filter) {
        SenderBuilder b = TagpipeSender.fromEnv();
        if (bootstrapServers != null) b.bootstrapServers(bootstrapServers);
        if (app != null) b.app(app);
        if (topic != null) b.topic(topic);
        if (queueCapacity != 0) b.queueCapacity(queueCapacity);
        if (maxMessageChars != 0) b.maxMessageChars(maxMessageChars);
        if (kafkaConfigFile != null) b.kafkaConfigFile(kafkaConfigFile);
        if (properties != null) {
            for (Property p : properties) {
                b.producerProperty(p.getName(), p.getValue());
            }
        }
        try {
            return new TagpipeAppender(name, filter, b.build(), true);
        } catch (IllegalArgumentException e) {
            LOGGER.error("Tagpipe appender '{}' not created: {}", name, e.getMessage());
            return null;
        }
    }

    /** Programmatic use and tests: send through this sender (not closed by the appender). */
    public static TagpipeAppender withSender(String name, TagpipeSender sender) {
        return new TagpipeAppender(name, null, sender, false);
    }

    @Override
    public void append(LogEvent event) {
        if (sender.isInternal(event.getLoggerName()) || sender.dropIfFull()) {
            return; // a full queue: counted, and the event is not even formatted
        }
        try {
            Message message = event.getMessage();
            String marker = event.getMarker() == null ? null
                    : MarkerNames.join(List.of(event.getMarker()), Marker::getName, TagpipeAppender::parents);
            sender.log(new LogEntry(event.getTimeMillis(), Level.parse(event.getLevel().name()), event.getLoggerName(),
                    event.getThreadName(), message == null ? null : message.getFormattedMessage(),
                    event.getThrown(), null, event.getContextData().toMap(), fields(message), marker));
        } catch (RuntimeException | LinkageError e) {
            error("tagpipe: event not sent", event, e);
        }
    }

    @Override
    public boolean stop(long timeout, TimeUnit unit) {
        setStopping();
        boolean stopped = super.stop(timeout, unit, false);
        if (ownsSender) {
            // log4j passes 0 on a plain shutdown: still give queued events a fair chance
            sender.close(timeout <= 0 ? Duration.ofSeconds(5) : Duration.ofMillis(unit.toMillis(timeout)));
        }
        setStopped();
        return stopped;
    }

    /** A {@code MapMessage}'s fields in their order, bounded like attrs; {@code null} for other messages. */
    private static Map<String, Object> fields(Message message) {
        if (!(message instanceof MapMessage<?, ?> map)) {
            return null;
        }
        IndexedReadOnlyStringMap data = map.getIndexedReadOnlyStringMap();
        int n = Math.min(data.size(), TagpipeSender.MAX_ATTRS);
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(data.getKeyAt(i), data.getValueAt(i));
        }
        return out;
    }

    private static java.util.Iterator<Marker> parents(Marker marker) {
        Marker[] parents = marker.getParents();
        return parents == null ? Collections.emptyIterator() : Arrays.asList(parents).iterator();
    }

    public TagpipeSender sender() {
        return sender;
    }
}
