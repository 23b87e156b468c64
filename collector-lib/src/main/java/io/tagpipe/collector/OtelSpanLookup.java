package io.tagpipe.collector;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/** Reads OpenTelemetry's current span; created by {@link SpanLookup#detect} only when the API is present. */
final class OtelSpanLookup implements SpanLookup {
    private volatile boolean unusable;

    @Override
    public SpanIds current() {
        if (unusable) {
            return null;
        }
        try {
            SpanContext context = Span.current().getSpanContext();
            return context.isValid() ? new SpanIds(context.getTraceId(), context.getSpanId()) : null;
        } catch (LinkageError e) {
            unusable = true; // an API version without these methods: stop asking on every log call
            return null;
        } catch (RuntimeException e) {
            return null; // a broken context storage must not cost the record
        }
    }
}
