package io.tagpipe.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.tagpipe.collector.testing.InMemorySink;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.Level;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpanLookupTest {
    private final SdkTracerProvider tracing = SdkTracerProvider.builder().build();
    private final Tracer tracer = tracing.get("tagpipe-test");
    private final InMemorySink sink = new InMemorySink();
    private final TagpipeSender sender = TagpipeSender.builder().app("shop").sink(sink).shutdownHook(false).build();

    @AfterEach
    void closeTracing() {
        tracing.close();
    }

    private Envelope logIn(Span span, Map<String, String> mdc) {
        try (Scope ignored = span.makeCurrent()) {
            sender.log(Level.INFO, "com.acme.Checkout", "paid", null, mdc);
        } finally {
            span.end();
        }
        return sink.logs().get(sink.logs().size() - 1);
    }

    @Test
    void theCurrentSdkSpanGivesTraceAndSpanId() {
        Span span = tracer.spanBuilder("checkout").startSpan();
        Envelope e = logIn(span, Map.of());
        assertThat(span.getSpanContext().isValid()).isTrue();
        assertThat(e.traceId()).isEqualTo(span.getSpanContext().getTraceId());
        assertThat(e.spanId()).isEqualTo(span.getSpanContext().getSpanId());
    }

    @Test
    void anExplicitMdcIdWinsOverTheCurrentSpanAndIdsAreNotMixed() {
        Envelope e = logIn(tracer.spanBuilder("checkout").startSpan(), Map.of("trace_id", "from-mdc"));
        assertThat(e.traceId()).isEqualTo("from-mdc");
        assertThat(e.spanId()).isNull();
    }

    @Test
    void noCurrentSpanNoIds() {
        sender.log(Level.INFO, "l", "outside any span", null, null);
        assertThat(sink.logs().get(0).traceId()).isNull();
        assertThat(sink.logs().get(0).spanId()).isNull();
        assertThat(logIn(Span.getInvalid(), null).traceId()).isNull();
    }

    @Test
    void detectFindsTheApiOnlyWhereItIs() {
        assertThat(SpanLookup.detect(SpanLookup.class.getClassLoader())).isInstanceOf(OtelSpanLookup.class);
        try (URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            assertThat(SpanLookup.detect(empty)).isSameAs(SpanLookup.NONE);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The collector, the wire contract, Kafka's client and SLF4J in a class loader without the
     * OpenTelemetry API: the sender loads, logs, and MDC trace ids still work — while this thread
     * has a current span that only the loader with the API can see.
     */
    @Test
    void theCollectorLoadsAndLogsWithoutTheOpenTelemetryApi() throws Exception {
        URL[] classpath = List.of(TagpipeSender.class, Envelope.class, InMemorySink.class, KafkaProducer.class,
                        org.slf4j.Logger.class).stream()
                .map(c -> c.getProtectionDomain().getCodeSource().getLocation()).distinct().toArray(URL[]::new);
        Span span = tracer.spanBuilder("checkout").startSpan();
        try (URLClassLoader withoutOtel = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader());
             Scope ignored = span.makeCurrent()) {
            assertThatThrownBy(() -> withoutOtel.loadClass("io.opentelemetry.api.trace.Span"))
                    .isInstanceOf(ClassNotFoundException.class);
            Object isolated = withoutOtel.loadClass(NoOtelProbe.class.getName()).getMethod("logTwice").invoke(null);
            String traceId = span.getSpanContext().getTraceId();
            assertThat(isolated).isEqualTo(List.of("lookup=none", "plain:null", "traced:t-1"));
            assertThat(NoOtelProbe.logTwice()).isEqualTo(List.of("lookup=otel", "plain:" + traceId, "traced:t-1"));
        } finally {
            span.end();
        }
    }
}
