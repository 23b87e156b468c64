package io.tagpipe.collector;

import java.util.Map;

import io.tagpipe.wire.Level;

/**
 * One log event as an appender sees it. {@code thrown} is rendered by the sender; appenders that
 * only have a rendered stack trace (e.g. deserialised events) pass it as {@code exceptionText}.
 */
public record LogEntry(long ts, Level level, String logger, String thread, String message,
                       Throwable thrown, String exceptionText, Map<String, String> context) {
}
