package io.tagpipe.collector;

/**
 * The trace and span id of the span current on the logging thread. OpenTelemetry's API is an
 * optional dependency: {@link #detect} checks for it once, and without it the lookup finds nothing,
 * so the collector loads and runs the same with or without it.
 */
interface SpanLookup {
    SpanLookup NONE = () -> null;

    /** The current span's ids, or {@code null} when there is no valid current span; never throws. */
    SpanIds current();

    record SpanIds(String traceId, String spanId) {
    }

    /** OpenTelemetry's {@code Span.current()} when {@code loader} sees the OpenTelemetry API, else {@link #NONE}. */
    static SpanLookup detect(ClassLoader loader) {
        try {
            Class.forName("io.opentelemetry.api.trace.Span", false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return NONE;
        }
        return new OtelSpanLookup(); // the only class that names OpenTelemetry types, loaded only here
    }
}
