package io.tagpipe.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import io.tagpipe.collector.testing.InMemorySink;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.Level;
import org.junit.jupiter.api.Test;

class TagpipeSenderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    private final InMemorySink sink = new InMemorySink();

    private TagpipeSender sender(int maxMessageChars) {
        return SenderBuilder.forProcess(FakeProcess.command("com.acme.billing.api.Main").env("HOSTNAME", "host-1"))
                .sink(sink).clock(CLOCK).maxMessageChars(maxMessageChars).shutdownHook(false).build();
    }

    @Test
    void logRecordCarriesIdentityHostTimeAndTraceFromContext() {
        Map<String, String> mdc = new HashMap<>(Map.of("user", "42", "traceId", "t-1", "span_id", "s-1"));
        sender(1000).log(Level.WARN, "com.acme.Billing", "paid", null, mdc);

        Envelope e = sink.logs().get(0);
        assertThat(e.app()).isEqualTo("billing-api");
        assertThat(e.appSource()).isEqualTo("main-class");
        assertThat(e.host()).isEqualTo("host-1");
        assertThat(e.ts()).isEqualTo(CLOCK.millis());
        assertThat(e.level()).isEqualTo("WARN");
        assertThat(e.traceId()).isEqualTo("t-1");
        assertThat(e.spanId()).isEqualTo("s-1");
        assertThat(e.attrs()).isEqualTo(Map.of("user", "42"));
        assertThat(e.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void hugeMessageIsCappedWithAMarker() {
        sender(100).log(Level.INFO, "l", "x".repeat(10_000), null, null);
        assertThat(sink.logs().get(0).message()).isEqualTo("x".repeat(100) + "…[truncated 9900 chars]");
    }

    @Test
    void nullsAndLoneSurrogatesStillEncode() {
        TagpipeSender s = sender(100);
        s.log(null, null, null, null, null);
        s.log(Level.ERROR, "l\uD800", "bad \uDC00 half \uD83D", null, Map.of("k\uDFFF", "v\uD800"));
        s.log(Level.ERROR, "l", "pair \uD83D\uDE00 kept", null, null);

        EnvelopeCodec codec = new EnvelopeCodec();
        for (Envelope e : sink.logs()) {
            assertThat(codec.encode(e)).isNotEmpty();
        }
        assertThat(sink.logs().get(1).message()).isEqualTo("bad \uFFFD half \uFFFD");
        assertThat(sink.logs().get(1).attrs()).containsEntry("k\uFFFD", "v\uFFFD");
        assertThat(sink.logs().get(2).message()).isEqualTo("pair \uD83D\uDE00 kept");
        assertThat(sink.logs().get(0).level()).isEqualTo("INFO");
    }

    @Test
    void exceptionWithCauseCycleAndSuppressedLoopRendersOnce() {
        IllegalStateException a = new IllegalStateException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        a.addSuppressed(b);
        sender(100_000).log(Level.ERROR, "l", "boom", a, null);

        String text = sink.logs().get(0).exception();
        assertThat(text).startsWith("java.lang.IllegalStateException: a\n");
        assertThat(text).contains("\tSuppressed: java.lang.RuntimeException: b\n",
                "Caused by: [CIRCULAR REFERENCE: java.lang.IllegalStateException: a]",
                "Caused by: [CIRCULAR REFERENCE: java.lang.RuntimeException: b]");
        assertThat(text.split("java.lang.RuntimeException: b\n", -1)).hasSize(2); // rendered once
    }

    @Test
    void deepCauseChainAndHostileToStringAreCapped() {
        Throwable t = new RuntimeException("root");
        for (int i = 0; i < 100_000; i++) {
            t = new RuntimeException("level " + i, t);
        }
        Throwable hostile = new RuntimeException(t) {
            @Override
            public String toString() {
                throw new IllegalStateException("no");
            }
        };
        sender(5000).log(Level.ERROR, "l", "deep", hostile, null);

        String text = sink.logs().get(0).exception();
        assertThat(text).contains("toString() threw java.lang.IllegalStateException").endsWith("…[truncated stack trace]");
        assertThat(text.length()).isLessThan(5100);
    }

    @Test
    void metricsCarryTypeValueAndUnit() {
        TagpipeSender s = sender(1000);
        s.counter("orders", 3, Map.of("shop", "eu"));
        s.gauge("queue.depth", 17.5, null);
        s.timer("checkout", Duration.ofMillis(250), null);

        assertThat(sink.metrics()).extracting(Envelope::type, Envelope::name, Envelope::value, Envelope::unit)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("counter", "orders", 3.0, null),
                        org.assertj.core.groups.Tuple.tuple("gauge", "queue.depth", 17.5, null),
                        org.assertj.core.groups.Tuple.tuple("timer", "checkout", 250.0, "ms"));
        assertThat(sink.metrics().get(0).attrs()).containsEntry("shop", "eu");
    }

    @Test
    void invalidMetricIsCountedNotThrown() {
        TagpipeSender s = sender(1000);
        s.gauge("g", Double.NaN, null);
        s.counter(null, 1, null);
        s.timer("t", null, null);
        assertThat(sink.metrics()).isEmpty();
        assertThat(s.droppedCount()).isEqualTo(3);
    }

    @Test
    void fullSinkDropsAndCounts() {
        InMemorySink small = new InMemorySink(2);
        TagpipeSender s = SenderBuilder.forProcess(new FakeProcess()).sink(small).app("a").shutdownHook(false).build();
        for (int i = 0; i < 5; i++) {
            s.log(Level.INFO, "l", "m" + i, null, null);
        }
        assertThat(small.logs()).hasSize(2);
        assertThat(small.droppedCount("queue_full")).isEqualTo(3);
    }

    @Test
    void builderReportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> SenderBuilder.forProcess(new FakeProcess()).topic(" ").queueCapacity(0)
                .maxMessageChars(1).app("!!!").shutdownHook(false).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrapServers is required")
                .hasMessageContaining("topic must not be blank")
                .hasMessageContaining("queueCapacity must be at least 1")
                .hasMessageContaining("maxMessageChars must be at least 64")
                .hasMessageContaining("app '!!!'");
    }

    @Test
    void environmentConfiguresTheBuilderAndTyposAreErrors() {
        FakeProcess p = new FakeProcess().env("TAGPIPE_QUEUE_CAPACITY", "lots").env("TAGPIPE_KAFKA_CONFIG", "/nonexistent.properties");
        assertThatThrownBy(() -> SenderBuilder.forProcess(p).fromEnv().shutdownHook(false).build())
                .hasMessageContaining("TAGPIPE_QUEUE_CAPACITY must be an integer, got 'lots'")
                .hasMessageContaining("/nonexistent.properties");
        assertThatThrownBy(() -> SenderBuilder.forProcess(new FakeProcess()).bootstrapServers("x:1")
                .producerProperty("linger.ms", "soon").shutdownHook(false).build())
                .hasMessageContaining("linger.ms");
    }

    @Test
    void envAppWinsOverTheMainClass() {
        FakeProcess p = FakeProcess.command("com.acme.billing.api.Main").env("TAGPIPE_APP", "Checkout");
        TagpipeSender s = SenderBuilder.forProcess(p).fromEnv().sink(sink).shutdownHook(false).build();
        assertThat(s.identity()).isEqualTo(new AppIdentity("checkout", AppIdentity.ENV));
    }

    @Test
    void kafkaLoggersAreInternal() {
        TagpipeSender s = sender(1000);
        assertThat(s.isInternal("org.apache.kafka.common.config.AbstractConfig")).isTrue();
        assertThat(s.isInternal("com.acme.Billing")).isFalse();
    }
}
