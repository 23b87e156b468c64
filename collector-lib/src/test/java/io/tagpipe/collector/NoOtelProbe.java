package io.tagpipe.collector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tagpipe.collector.testing.InMemorySink;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.Level;

/** Run by {@link SpanLookupTest} in a class loader without OpenTelemetry: only JDK types cross it. */
public final class NoOtelProbe {
    private NoOtelProbe() {
    }

    public static List<String> logTwice() {
        InMemorySink sink = new InMemorySink();
        TagpipeSender sender = TagpipeSender.builder().app("shop").sink(sink).shutdownHook(false).build();
        sender.log(Level.INFO, "l", "plain", null, Map.of());
        sender.log(Level.INFO, "l", "traced", null, Map.of("trace_id", "t-1"));
        List<String> out = new ArrayList<>();
        out.add(SpanLookup.detect(NoOtelProbe.class.getClassLoader()) == SpanLookup.NONE ? "lookup=none" : "lookup=otel");
        for (Envelope e : sink.logs()) {
            out.add(e.message() + ":" + e.traceId());
        }
        return out;
    }
}
