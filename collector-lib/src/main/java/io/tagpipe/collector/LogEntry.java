package io.tagpipe.collector;

import java.util.Map;

import io.tagpipe.wire.Level;

/**
 * One log event as an appender sees it. {@code thrown} is rendered by the sender; appenders that
 * only have a rendered stack trace (e.g. deserialised events) pass it as {@code exceptionText}.
 * {@code fields} are what the call itself carried (SLF4J key-value pairs, a Log4j2 {@code MapMessage});
 * {@code context} is the MDC / ThreadContext; {@code marker} the joined marker names ({@link MarkerNames}).
 * All become attrs: fields first and winning a name clash, then {@code marker}, then context.
 */
public record LogEntry(long ts, Level level, String logger, String thread, String message,
                       Throwable thrown, String exceptionText, Map<String, String> context,
                       Map<String, ?> fields, String marker) {

    /** An event with context only: no call-site fields, no marker. */
    public LogEntry(long ts, Level level, String logger, String thread, String message,
                    Throwable thrown, String exceptionText, Map<String, String> context) {
        this(ts, level, logger, thread, message, thrown, exceptionText, context, null, null);
    }
}
