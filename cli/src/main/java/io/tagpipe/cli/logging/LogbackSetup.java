package io.tagpipe.cli.logging;

import java.util.function.Supplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Configures Logback, the production program's one logging backend, from {@link LogSettings}
 * (found by Logback through {@code META-INF/services}, before it looks for a {@code logback.xml}).
 * <ul>
 * <li>text: {@code [thread] LEVEL logger - message} lines on stderr, as slf4j-simple printed them; the
 *     processor's and the sink's status lines ({@value LogSettings#STATUS}.*) as plain lines on stdout
 *     (warnings and errors on stderr).</li>
 * <li>json: every event, status lines included, as one JSON object per line on stderr (Logback's
 *     {@link JsonEncoder}: timestamp, level, threadName, loggerName, formattedMessage, markers, mdc,
 *     kvpList, throwable), so a log shipper reads nothing else there.</li>
 * </ul>
 * {@code -Dlogback.configurationFile=FILE} replaces all of this with the operator's own configuration.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogbackSetup extends ContextAwareBase implements Configurator {
    static final String TEXT_PATTERN = "[%thread] %level %logger - %msg%n";
    static final String STATUS_PATTERN = "%msg%n";

    /** Where lines go: the process's stdout and stderr, or any stream (tests). */
    record Outputs(Supplier<OutputStreamAppender<ILoggingEvent>> stdout, Supplier<OutputStreamAppender<ILoggingEvent>> stderr) {
        static Outputs console() {
            return new Outputs(() -> console("System.out"), () -> console("System.err"));
        }

        private static OutputStreamAppender<ILoggingEvent> console(String target) {
            ConsoleAppender<ILoggingEvent> a = new ConsoleAppender<>();
            a.setTarget(target);
            return a;
        }
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LogSettings settings;
        try {
            settings = LogSettings.from(System.getenv(), System.getProperties());
        } catch (IllegalArgumentException e) {
            // Tagpipe.main names the bad setting and exits 2; until then (and in a test JVM) log as by default
            settings = LogSettings.defaults();
        }
        apply(context, settings, Outputs.console());
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets the levels and attaches the appenders of {@code settings} to {@code context}. */
    static void apply(LoggerContext context, LogSettings settings, Outputs outputs) {
        settings.loggers().forEach((name, level) -> context.getLogger(name).setLevel(level));
        Logger root = context.getLogger(LogSettings.ROOT);
        if (settings.format() == LogSettings.Format.JSON) {
            root.addAppender(start(context, outputs.stderr().get(), "json", json(context), null));
            return;
        }
        root.addAppender(start(context, outputs.stderr().get(), "text", pattern(context, TEXT_PATTERN), null));
        Logger status = context.getLogger(LogSettings.STATUS);
        status.setAdditive(false);
        status.addAppender(start(context, outputs.stdout().get(), "status", pattern(context, STATUS_PATTERN),
                belowWarn()));
        ThresholdFilter warnAndAbove = new ThresholdFilter();
        warnAndAbove.setLevel(Level.WARN.levelStr);
        status.addAppender(start(context, outputs.stderr().get(), "status-problems", pattern(context, STATUS_PATTERN),
                warnAndAbove));
    }

    private static OutputStreamAppender<ILoggingEvent> start(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender,
                                                             String name, Encoder<ILoggingEvent> encoder,
                                                             Filter<ILoggingEvent> filter) {
        appender.setContext(context);
        appender.setName(name);
        appender.setEncoder(encoder);
        if (filter != null) {
            filter.setContext(context);
            filter.start();
            appender.addFilter(filter);
        }
        appender.start();
        return appender;
    }

    private static Encoder<ILoggingEvent> pattern(LoggerContext context, String pattern) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(context);
        e.setPattern(pattern);
        e.start();
        return e;
    }

    private static Encoder<ILoggingEvent> json(LoggerContext context) {
        JsonEncoder e = new JsonEncoder();
        e.setContext(context);
        // the formatted message, not the {} template and its arguments; no per-context noise
        e.setWithMessage(false);
        e.setWithArguments(false);
        e.setWithFormattedMessage(true);
        e.setWithContext(false);
        e.setWithSequenceNumber(false);
        e.setWithNanoseconds(false);
        e.start();
        return e;
    }

    private static Filter<ILoggingEvent> belowWarn() {
        return new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                return event.getLevel().isGreaterOrEqual(Level.WARN) ? FilterReply.DENY : FilterReply.NEUTRAL;
            }
        };
    }
}
